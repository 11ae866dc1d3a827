/**
 * One chaos run: platform up (own ports and folders) → driver and killer at the same time → every
 * component back → wait until the platform settled → collect → verify → summary. `npm run chaos`
 * (cli.ts) and the short run in `npm test` (test/e2e/chaos.e2e.ts) both call runChaos.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DEFAULT_PARTITIONS } from '@kartshoppe/contracts';
import { collect, readApiReadModel, readProcessorState } from './collector';
import { OrderDriver, loadCatalog, type DriverStats } from './driver';
import { Killer, planFaults, type KillCounts } from './killer';
import { ChaosPlatform } from './platform';
import {
  CHAOS_LOG_DIR,
  CHAOS_PORTS,
  PG_CONFIG,
  SERVICES,
  health,
  sleep,
  type ServiceName,
} from './platform.env';
import type { ChaosRecords, Discrepancy } from './records';
import { seededRng } from './rng';
import { ALL_RECORDS_DELIVERED, verify } from './verifier';

export interface ChaosOptions {
  orders: number;
  durationS: number;
  seed: number;
  kills: Partial<KillCounts>;
  restockEvery: number;
  poisonRecords: number;
  maxInFlight: number;
  /** How long the platform may take to settle after the last fault before the verifier runs. */
  settleTimeoutS: number;
  keepInfra: boolean;
  log: (line: string) => void;
}

/** Options for a run of `orders` orders: the CLI's defaults, with any of them overridden. */
export function chaosOptions(overrides: Partial<ChaosOptions> & { orders: number }): ChaosOptions {
  const { orders } = overrides;
  return {
    durationS: 300,
    seed: Date.now() % 1_000_000,
    kills: defaultKills(orders),
    restockEvery: 20,
    poisonRecords: Math.max(9, Math.round(orders / 500)),
    maxInFlight: 64,
    settleTimeoutS: 300,
    keepInfra: false,
    log: (line) => process.stderr.write(`[chaos ${new Date().toISOString().slice(11, 19)}] ${line}\n`),
    ...overrides,
  };
}

export function defaultKills(orders: number): Partial<KillCounts> {
  const n = orders >= 5_000 ? 3 : 1;
  return {
    'checkout-api': n,
    'cdc-worker': n,
    'processor-1': n,
    'processor-2': n,
    kafka: orders >= 5_000 ? 2 : 1,
    postgres: 1,
  };
}

export interface ChaosSummary {
  result: typeof ALL_RECORDS_DELIVERED | 'DISCREPANCIES';
  seed: number;
  orders: {
    planned: number;
    acknowledged: number;
    acknowledgedOnRetry: number;
    unacknowledged: number;
    inPostgres: number;
    direct: number;
    cdc: number;
  };
  items: { total: number; reserved: number; rejected: number; overOrdered: number };
  restocks: number;
  poisonRecords: number;
  deadLetters: number;
  httpRetries: number;
  kills: KillCounts;
  unexpectedExits: Record<ServiceName, number>;
  discrepancies: number;
  drivingS: number;
  ordersPerS: number;
  settleS: number;
  durationS: number;
}

export interface ChaosResult {
  summary: ChaosSummary;
  discrepancies: Discrepancy[];
  records: ChaosRecords;
  driver: DriverStats;
}

/**
 * What the platform still owes, or undefined once settled: a line waiting for its verdict, a direct
 * order waiting for Kafka, an input partition not running or lagging, a read model behind the state.
 */
async function stillOwed(partitionCount: number): Promise<string | undefined> {
  const client = new Client(PG_CONFIG);
  try {
    await client.connect();
    const { rows } = await client.query<{ pending: string; unpublished: string }>(
      `SELECT (SELECT count(*) FROM order_items WHERE status = 'PENDING') AS pending,
              (SELECT count(*) FROM orders WHERE NOT published) AS unpublished`,
    );
    if (rows[0]!.pending !== '0' || rows[0]!.unpublished !== '0')
      return `${rows[0]!.pending} lines PENDING, ${rows[0]!.unpublished} orders unpublished`;
  } catch (e) {
    return `postgres: ${(e as Error).message}`;
  } finally {
    await client.end().catch(() => undefined);
  }
  const running = new Set<number>();
  for (const port of [CHAOS_PORTS.processor1, CHAOS_PORTS.processor2]) {
    const h = await health(port);
    for (const p of (h?.partitions ?? []) as { partition: number; lag: string; restoring: boolean }[]) {
      if (BigInt(p.lag) > 0n) return `processor ${port} partition ${p.partition} lags ${p.lag} records`;
      if (!p.restoring) running.add(p.partition);
    }
  }
  if (running.size < partitionCount) return `${running.size} of ${partitionCount} input partitions running`;
  const [state, readModel] = await Promise.all([readProcessorState().catch(() => []), readApiReadModel()]);
  const model = new Map((readModel ?? []).map((p) => [p.productId, p.inventory]));
  const behind = state.filter((p) => model.get(p.productId) !== p.inventory).length;
  return behind > 0 ? `API read model differs on ${behind} products` : undefined;
}

/** Waits until nothing is owed (or the deadline), then until every service says it is ready (or 60 s). */
async function settle(platform: ChaosPlatform, timeoutS: number, log: (line: string) => void) {
  const started = Date.now();
  platform.ensureAllRunning();
  let owed: string | undefined = 'not checked yet';
  let lastLogged = 0;
  while (Date.now() - started < timeoutS * 1000) {
    owed = await stillOwed(DEFAULT_PARTITIONS);
    if (!owed) break;
    if (Date.now() - lastLogged > 10_000) {
      log(`settling: ${owed}`);
      lastLogged = Date.now();
    }
    await sleep(1_000);
  }
  const readyBy = Date.now() + 60_000;
  let health = await Promise.all(SERVICES.map((s) => platform.readiness(s)));
  while (health.some((h) => !h.ready) && Date.now() < readyBy) {
    await sleep(1_000);
    health = await Promise.all(SERVICES.map((s) => platform.readiness(s)));
  }
  const settleS = (Date.now() - started) / 1000;
  log(
    owed
      ? `not settled after ${settleS.toFixed(0)} s (${owed}); verifying anyway`
      : `settled in ${settleS.toFixed(1)} s`,
  );
  return { settleS, health };
}

export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const { log } = options;
  const began = Date.now();
  const platform = new ChaosPlatform(log);
  const runId = randomBytes(3).toString('hex');
  try {
    await platform.prepare();
    await platform.startAll();
    log(`platform up in ${((Date.now() - began) / 1000).toFixed(1)} s (logs: ${CHAOS_LOG_DIR})`);

    const catalog = loadCatalog();
    const durationMs = options.durationS * 1000;
    const driver = new OrderDriver(
      {
        orders: options.orders,
        durationMs,
        seed: options.seed,
        restockEvery: options.restockEvery,
        poisonRecords: options.poisonRecords,
        maxInFlight: options.maxInFlight,
        giveUpAtMs: Date.now() + durationMs + options.settleTimeoutS * 1000,
        log,
      },
      catalog,
      runId,
    );
    const killer = new Killer(
      platform,
      planFaults(durationMs, options.kills, seededRng(options.seed + 1)),
      log,
    );
    const drivingStarted = Date.now();
    const [driverStats] = await Promise.all([driver.run(), killer.run(drivingStarted)]);
    log(
      `driver done in ${((Date.now() - drivingStarted) / 1000).toFixed(1)} s: ${driverStats.acknowledged} acknowledged, ${driverStats.unacknowledged} not`,
    );

    const { settleS, health } = await settle(platform, options.settleTimeoutS, log);

    const records = {
      ...(await collect(catalog, driver.acknowledged)),
      health,
      unexpectedExits: platform.unexpectedExits.map((e) => ({ component: e.component, exit: e.exit })),
    };
    const discrepancies = verify(records);
    for (const exit of platform.unexpectedExits)
      log(
        `note: ${exit.component} exited by itself (${exit.exit}) at +${((exit.atMs - began) / 1000).toFixed(0)} s`,
      );
    const summary = summarize(options, records, driverStats, killer.done, platform, discrepancies, {
      settleS,
      durationS: (Date.now() - began) / 1000,
    });
    return { summary, discrepancies, records, driver: driverStats };
  } finally {
    await platform.stop(options.keepInfra);
  }
}

function summarize(
  options: ChaosOptions,
  r: ChaosRecords,
  d: DriverStats,
  kills: KillCounts,
  platform: ChaosPlatform,
  discrepancies: Discrepancy[],
  times: { settleS: number; durationS: number },
): ChaosSummary {
  const items = r.postgresOrders.flatMap((o) => o.items);
  const exits = Object.fromEntries(SERVICES.map((s) => [s, 0])) as Record<ServiceName, number>;
  for (const e of platform.unexpectedExits) exits[e.component]++;
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    result: discrepancies.length === 0 ? ALL_RECORDS_DELIVERED : 'DISCREPANCIES',
    seed: options.seed,
    orders: {
      planned: d.ordersPlanned,
      acknowledged: d.acknowledged,
      acknowledgedOnRetry: d.acknowledgedOnRetry,
      unacknowledged: d.unacknowledged,
      inPostgres: r.postgresOrders.length,
      direct: r.postgresOrders.filter((o) => o.publishMode === 'direct').length,
      cdc: r.postgresOrders.filter((o) => o.publishMode === 'cdc').length,
    },
    items: {
      total: items.length,
      reserved: items.filter((i) => i.status === 'RESERVED').length,
      rejected: items.filter((i) => i.status === 'REJECTED').length,
      overOrdered: d.overOrderedLines,
    },
    restocks: r.restocks.length,
    poisonRecords: r.poison.length,
    deadLetters: r.deadLetters.length,
    httpRetries: d.httpRetries,
    kills,
    unexpectedExits: exits,
    discrepancies: discrepancies.length,
    drivingS: round(d.drivingMs / 1000),
    ordersPerS: round(d.acknowledged / (d.drivingMs / 1000)),
    settleS: round(times.settleS),
    durationS: round(times.durationS),
  };
}

/** The report: ALL-RECORDS-DELIVERED or every discrepancy, then the JSON summary as the last line. */
export function report(result: ChaosResult): string[] {
  const lines =
    result.discrepancies.length === 0
      ? [ALL_RECORDS_DELIVERED]
      : result.discrepancies.map((d) => `DISCREPANCY ${d.check} ${d.subject}: ${d.detail}`);
  return [...lines, JSON.stringify(result.summary)];
}

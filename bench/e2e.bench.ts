/**
 * End-to-end benchmark: checkout (HTTP 201) → stock update in a browser's WebSocket, on the whole
 * platform started here on its own ports and folders (see e2e/stack.ts), services from dist.
 *
 *   node scripts/run-ts.js bench/e2e.bench.ts [--quick] [--rates 100,500,1000] [--modes direct,cdc]
 *                                             [--seconds 20] [--warmup 3] [--products 5000]
 *
 * For each rate and mode: carts are pre-filled, then orders are placed open-loop at the fixed rate
 * (warm-up, then the measured window); each order's latency runs from its HTTP 201 to the first
 * PRODUCT_UPDATE showing its deduction at a WebSocket client on /ecommerce/{sessionId}/{userId}.
 * RSS is sampled for the API, processor, CDC worker, Kafka broker and Postgres (all its processes),
 * and their sum. Goals (reported, not asserted): p99 ≤ 500 ms at 1,000 orders/s; stack ≤ 1.5 GiB.
 * `--quick`: 1 s warm-up, 5 s per phase. Prints tables, then a LAST line of JSON.
 */
import { cpus, loadavg } from 'node:os';
import {
  BrowserClient,
  createProducts,
  INITIAL_STOCK,
  OrderDriver,
  productIds,
  type Mode,
  type PhaseOutcome,
} from './e2e/driver';
import { COMPONENTS, StackSampler, type MemoryWindow } from './e2e/sampler';
import { startStack, type Stack } from './e2e/stack';
import { fmt, markdownTable } from './lib/results';

const P99_GOAL_MS = 500;
const GOAL_RATE = 1000;
const STACK_GOAL_MB = 1536;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const quick = process.argv.includes('--quick');
const rates = arg('rates', '100,500,1000').split(',').map(Number);
const modes = arg('modes', 'direct,cdc').split(',') as Mode[];
const measureMs = Number(arg('seconds', quick ? '5' : '20')) * 1000;
const warmupMs = Number(arg('warmup', quick ? '1' : '3')) * 1000;
const productCount = Number(arg('products', '5000'));
const log = (line: string) => console.error(`[e2e-bench] ${line}`);

type Phase = PhaseOutcome & MemoryWindow & { overlapping: number; updateBefore201: number };

async function waitUntil(what: string, probe: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function measure(stack: Stack): Promise<{ idle: MemoryWindow; phases: Phase[] }> {
  const products = productIds(stack.run, productCount);
  const driver = new OrderDriver({
    apiBase: stack.apiBase,
    pool: stack.pool,
    sessionPrefix: stack.topicPrefix,
    products,
    initialStock: INITIAL_STOCK,
  });
  const { matcher } = driver;
  const browser = new BrowserClient(stack.apiBase, matcher);
  await browser.connect(`${stack.topicPrefix}browser`);
  const sampler = new StackSampler(stack.pids);
  try {
    log(`creating ${productCount} products through product-updates…`);
    await createProducts(stack.kafka, stack.topicPrefix, products);
    await waitUntil(
      'the browser to know every bench product',
      () => products.every((p) => browser.known.has(p)),
      120_000,
    );
    sampler.start();
    await new Promise((r) => setTimeout(r, 2000));
    const idle = sampler.stop();
    const phases: Phase[] = [];
    for (const rate of rates) {
      for (const mode of modes) {
        log(`${mode} at ${rate} orders/s: ${warmupMs / 1000} s warm-up + ${measureMs / 1000} s…`);
        const before = { overlapping: matcher.overlapping, updateBefore201: matcher.updateBefore201 };
        sampler.start();
        const outcome = await driver.runPhase(mode, rate, warmupMs, measureMs, 30_000);
        const memory = sampler.stop();
        phases.push({
          ...outcome,
          ...memory,
          overlapping: matcher.overlapping - before.overlapping,
          updateBefore201: matcher.updateBefore201 - before.updateBefore201,
        });
        log(
          `  p50/p95/p99 ${outcome.toBrowser.p50Ms}/${outcome.toBrowser.p95Ms}/${outcome.toBrowser.p99Ms} ms, ` +
            `${outcome.completedPerSec}/s done, stack PSS ${memory.stackPssMb} MiB`,
        );
        if (browser.closedUnexpectedly) throw new Error(`the browser socket ${browser.closedUnexpectedly}`);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
    return { idle, phases };
  } finally {
    browser.close();
    driver.close();
  }
}

function report(idle: MemoryWindow, phases: Phase[]): void {
  console.log('\nCheckout → browser (HTTP 201 → PRODUCT_UPDATE on the WebSocket), per phase');
  console.log(
    markdownTable(
      [
        'mode',
        'rate/s',
        'sent/s',
        'done/s',
        'created',
        'failed',
        'unsettled',
        'p50 ms',
        'p95 ms',
        'p99 ms',
        'max ms',
        'HTTP p50/p99 ms',
        'bench lag p99 ms',
      ],
      phases.map((p) => [
        p.mode,
        p.ratePerSec,
        p.achievedPerSec,
        p.completedPerSec,
        p.created,
        p.failed,
        p.unsettled,
        fmt(p.toBrowser.p50Ms, 1),
        fmt(p.toBrowser.p95Ms, 1),
        fmt(p.toBrowser.p99Ms, 1),
        fmt(p.toBrowser.maxMs, 1),
        `${fmt(p.http.p50Ms)}/${fmt(p.http.p99Ms)}`,
        fmt(p.benchLoopDelayP99Ms, 1),
      ]),
    ),
  );
  console.log(
    '(HTTP: checkout response time from the instant the order was due; bench lag: the load generator’s ' +
      'own event-loop delay, i.e. how late its timestamps may be)',
  );
  console.log('\nPeak memory (MiB) and CPU (% of one core) per component');
  const row = (label: string, m: MemoryWindow) => [
    label,
    m.rssMb['checkout-api'],
    m.rssMb['inventory-processor'],
    m.rssMb['cdc-worker'],
    m.rssMb.kafka,
    `${m.rssMb.postgres} / ${m.postgresPssMb}`,
    `${m.stackRssMb} / ${m.stackPssMb}`,
    [...COMPONENTS.map((c) => m.cpuPct[c]), m.cpuPct.bench].join('/'),
  ];
  console.log(
    markdownTable(
      [
        'phase',
        'API RSS',
        'processor RSS',
        'CDC RSS',
        'Kafka RSS',
        'Postgres RSS sum / PSS',
        'stack RSS sum / PSS',
        'CPU % API/proc/CDC/Kafka/PG/bench',
      ],
      [row('idle', idle), ...phases.map((p) => row(`${p.mode} ${p.ratePerSec}/s`, p))],
    ),
  );
  console.log(
    '(Postgres RSS sums count its shared buffers once per backend; PSS divides shared pages among ' +
      'their users, so the PSS sum is the memory the stack really holds)',
  );
  for (const p of phases.filter((x) => x.overlapping || x.updateBefore201 || x.failed)) {
    console.log(
      `${p.mode} ${p.ratePerSec}/s: ${p.updateBefore201} updates arrived before their 201 (counted as 0 ms), ` +
        `${p.overlapping} orders overlapped another of their product, failures ${JSON.stringify(p.failures)}`,
    );
  }

  const atGoalRate = phases.filter((p) => p.ratePerSec === GOAL_RATE);
  const p99At1000 = Object.fromEntries(atGoalRate.map((p) => [p.mode, p.toBrowser.p99Ms]));
  const rateReached = atGoalRate.every((p) => p.completedPerSec >= GOAL_RATE * 0.95);
  const p99Met =
    atGoalRate.length > 0 && rateReached && atGoalRate.every((p) => p.toBrowser.p99Ms <= P99_GOAL_MS);
  const peak = (pick: (m: MemoryWindow) => number) => Math.max(pick(idle), ...phases.map(pick));
  const peakMb = {
    ...Object.fromEntries(COMPONENTS.map((c) => [c, peak((m) => m.rssMb[c])])),
    postgresPss: peak((m) => m.postgresPssMb),
    stackRss: peak((m) => m.stackRssMb),
    stackPss: peak((m) => m.stackPssMb),
  };
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  console.log(
    `\nGoals (this run, ${quick ? 'quick' : 'full'}): checkout → browser p99 at ${GOAL_RATE}/s ≤ ${P99_GOAL_MS} ms: ` +
      `${JSON.stringify(p99At1000)} → ${verdict(p99Met)}${rateReached ? '' : ` (${GOAL_RATE}/s not sustained)`}; ` +
      `stack ≤ ${STACK_GOAL_MB} MiB: peak PSS ${peakMb.stackPss} MiB → ${verdict(peakMb.stackPss <= STACK_GOAL_MB)}, ` +
      `peak RSS sum ${peakMb.stackRss} MiB → ${verdict(peakMb.stackRss <= STACK_GOAL_MB)}.\n` +
      `Machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} (other work on the machine makes these figures pessimistic).`,
  );
  console.log(
    JSON.stringify({
      quick,
      p99MsAt1000: p99At1000,
      p99GoalMet: p99Met,
      peakMb,
      stackGoalMetPss: peakMb.stackPss <= STACK_GOAL_MB,
      stackGoalMetRssSum: peakMb.stackRss <= STACK_GOAL_MB,
      idleStackMb: { rss: idle.stackRssMb, pss: idle.stackPssMb },
      phases: phases.map((p) => ({
        mode: p.mode,
        rate: p.ratePerSec,
        sentPerSec: p.achievedPerSec,
        donePerSec: p.completedPerSec,
        created: p.created,
        failed: p.failed,
        unsettled: p.unsettled,
        p50Ms: p.toBrowser.p50Ms,
        p95Ms: p.toBrowser.p95Ms,
        p99Ms: p.toBrowser.p99Ms,
        maxMs: p.toBrowser.maxMs,
        httpP50Ms: p.http.p50Ms,
        httpP99Ms: p.http.p99Ms,
        benchLagP99Ms: p.benchLoopDelayP99Ms,
        rssMb: p.rssMb,
        postgresPssMb: p.postgresPssMb,
        stackRssMb: p.stackRssMb,
        stackPssMb: p.stackPssMb,
        cpuPct: p.cpuPct,
      })),
    }),
  );
}

async function main(): Promise<void> {
  const stack = await startStack(log);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    log('stopping the stack…');
    await stack.down();
  };
  const onSignal = () => void stop().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const { idle, phases } = await measure(stack);
    await stop();
    report(idle, phases);
  } finally {
    await stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

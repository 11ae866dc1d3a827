/**
 * The whole platform for the bad-input sweep, on the shared test infrastructure but isolated from
 * every other suite: its own database (so its CDC slot sees only its own orders), its own topics
 * (`<prefix><workshop name>`) and the three services as child processes on the sweep's ports
 * (API 38481, processor 38491, CDC worker 38492), run from source. A child that exits is a crash:
 * the sweep checks after every row that all three are alive and healthy.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Kafka, logLevel, type Consumer, type IHeaders } from 'kafkajs';
import { Client, Pool } from 'pg';
import {
  prefixedTopics,
  type InventoryTopics,
} from '../../../services/inventory-processor/src/topology/inventory.topology';
import { testKafkaBrokers, testPgConfig, testServiceEnv, waitFor } from '../../support/infra';

export const ROOT = resolve(__dirname, '../../..');
export const SWEEP_PORTS = {
  api: Number(process.env.SWEEP_API_PORT ?? 38481),
  processor: Number(process.env.SWEEP_PROCESSOR_PORT ?? 38491),
  cdc: Number(process.env.SWEEP_CDC_PORT ?? 38492),
};
export const PARTITIONS = 3;

/** The processor's topics under the sweep's prefix, plus the CDC worker's envelope topics. */
export type SweepTopics = InventoryTopics & { prefix: string; cdcOrders: string; cdcOrderItems: string };

export function sweepTopics(runId: string): SweepTopics {
  const prefix = `sweep-${runId}.`;
  return {
    ...prefixedTopics(prefix),
    prefix,
    cdcOrders: `${prefix}cdc.public.orders`,
    cdcOrderItems: `${prefix}cdc.public.order_items`,
  };
}

export function sweepKafka(): Kafka {
  return new Kafka({ clientId: 'bad-input-sweep', brokers: testKafkaBrokers(), logLevel: logLevel.NOTHING });
}

/** Every topic name of the sweep by role (the prefix is not a topic). */
function topicEntries(topics: SweepTopics): [string, string][] {
  return Object.entries(topics).filter(([role]) => role !== 'prefix');
}

export async function createTopics(kafka: Kafka, topics: SweepTopics): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: topicEntries(topics).map(([name, topic]) => ({
        topic,
        numPartitions: PARTITIONS,
        configEntries:
          name === 'changelog' || name === 'products' ? [{ name: 'cleanup.policy', value: 'compact' }] : [],
      })),
    });
  } finally {
    await admin.disconnect();
  }
}

export async function deleteTopics(kafka: Kafka, topics: SweepTopics): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics: topicEntries(topics).map(([, topic]) => topic) });
  } finally {
    await admin.disconnect();
  }
}

/** The sweep's CDC slot (slot names are global to the server; [a-z0-9_] only). */
export function sweepSlot(runId: string): string {
  return `sweep_${runId.replace(/[^a-z0-9]/g, '_')}`;
}

/**
 * A database of its own, migrated by the project's own tool: scripts/manage-db.ts creates it, its
 * tables, and the CDC publication and slot (named for the sweep, so no other suite's slot is touched).
 */
export function createDatabase(database: string, slot: string): void {
  const run = spawnSync(process.execPath, ['scripts/run-ts.js', 'scripts/manage-db.ts', 'migrate'], {
    cwd: ROOT,
    env: { ...process.env, ...testServiceEnv({ POSTGRES_DB: database, CDC_SLOT_NAME: slot }) },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (run.status !== 0) throw new Error(`manage-db migrate ${database} failed:\n${run.stdout}${run.stderr}`);
}

/** Drops the sweep's slots (the CDC worker has exited) and its database. */
export async function dropDatabase(database: string): Promise<void> {
  const admin = new Client({ ...testPgConfig('postgres') });
  await admin.connect();
  try {
    await waitFor(
      'sweep slots to be released',
      async () =>
        (await admin.query('SELECT 1 FROM pg_replication_slots WHERE database = $1 AND active', [database]))
          .rowCount === 0,
      { timeoutMs: 15_000 },
    );
    await admin.query(
      'SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = $1',
      [database],
    );
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

export function sweepPool(database: string): Pool {
  const pool = new Pool({ ...testPgConfig(database), max: 3 });
  pool.on('error', () => undefined);
  return pool;
}

export interface ServiceHandle {
  name: string;
  port: number;
  child: ChildProcess;
  output(): string;
  alive(): boolean;
  get(path: string): Promise<{ status: number; body: any }>;
  stop(): Promise<number | null>;
}

/** Starts `services/<dir>/src/main.ts` from source and waits until `healthy(health body)` holds. */
export async function startService(
  name: string,
  entry: string,
  port: number,
  env: Record<string, string>,
  healthy: (body: any) => boolean,
): Promise<ServiceHandle> {
  const child = spawn(process.execPath, [join(ROOT, 'scripts/run-ts.js'), join(ROOT, entry)], {
    cwd: ROOT,
    env: { ...process.env, ...env, KAFKAJS_NO_PARTITIONER_WARNING: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d: Buffer) => (out = (out + d.toString()).slice(-20_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const get = async (path: string) => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(5_000) });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: body as any };
  };
  const handle: ServiceHandle = {
    name,
    port,
    child,
    output: () => out,
    alive: () => child.exitCode === null && child.signalCode === null,
    get,
    async stop() {
      if (handle.alive()) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
  try {
    await waitFor(
      `${name} on port ${port} to be healthy`,
      async () => {
        if (!handle.alive()) throw new Error(`${name} exited with ${child.exitCode}`);
        return healthy((await get('/health')).body);
      },
      { timeoutMs: 90_000, intervalMs: 250 },
    );
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`${(e as Error).message}\n--- ${name} output ---\n${out.slice(-4000)}`);
  }
  return handle;
}

export interface Platform {
  api: ServiceHandle;
  processor: ServiceHandle;
  cdc: ServiceHandle;
  apiUrl: string;
  wsUrl: string;
  stop(): Promise<void>;
}

/** The three services wired to the sweep's topics and database, started in parallel. */
export async function startPlatform(runId: string, topics: SweepTopics, database: string): Promise<Platform> {
  const stateDir = mkdtempSync(join(tmpdir(), 'sweep-processor-'));
  const common = testServiceEnv({ POSTGRES_DB: database, LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error' });
  const starting = [
    startService(
      'inventory-processor',
      'services/inventory-processor/src/main.ts',
      SWEEP_PORTS.processor,
      {
        ...common,
        PROCESSOR_PORT: String(SWEEP_PORTS.processor),
        PROCESSOR_APP_ID: `${topics.prefix}app`,
        PROCESSOR_TOPIC_PREFIX: topics.prefix,
        PROCESSOR_STATE_DIR: stateDir,
        PROCESSOR_INSTANCE_ID: 'sweep',
        CATALOG_FILE: join(ROOT, 'data/initial-products.json'),
        STALE_AFTER_MS: '3600000',
        PROCESSOR_SESSION_TIMEOUT_MS: '6000',
      },
      (h) => h?.phase === 'running',
    ),
    startService(
      'cdc-worker',
      'services/cdc-worker/src/main.ts',
      SWEEP_PORTS.cdc,
      {
        ...common,
        CDC_PORT: String(SWEEP_PORTS.cdc),
        CDC_SLOT_NAME: sweepSlot(runId),
        CDC_HEARTBEAT_MS: '500',
        CDC_ORDER_EVENTS_TOPIC: topics.orderEvents,
        CDC_DEAD_LETTERS_TOPIC: topics.deadLetters,
        CDC_ENVELOPE_TOPIC_PREFIX: `${topics.prefix}cdc`,
        CDC_CREATE_TOPICS: 'false',
      },
      (h) => h?.connected === true,
    ),
    startService(
      'checkout-api',
      'services/checkout-api/src/main.ts',
      SWEEP_PORTS.api,
      {
        ...common,
        API_PORT: String(SWEEP_PORTS.api),
        API_HOST: '127.0.0.1',
        STOREFRONT_DIR: '/nonexistent',
        READ_MODEL_GROUP_PREFIX: `${topics.prefix}read-model`,
        ORDER_STATUS_GROUP_ID: `${topics.prefix}order-status-${randomBytes(3).toString('hex')}`,
        OUTBOX_POLL_MS: '200',
        OUTBOX_GRACE_MS: '300',
        READ_MODEL_WARMUP_MAX_MS: '20000',
        PROCESSOR_URL: `http://127.0.0.1:${SWEEP_PORTS.processor}`,
        CDC_URL: `http://127.0.0.1:${SWEEP_PORTS.cdc}`,
        TOPIC_PRODUCTS: topics.products,
        TOPIC_INVENTORY_EVENTS: topics.inventoryEvents,
        TOPIC_WEBSOCKET_FANOUT: topics.websocketFanout,
        TOPIC_INVENTORY_ALERTS: topics.alerts,
        TOPIC_ORDER_STATUS: topics.orderStatus,
        TOPIC_ORDER_EVENTS: topics.orderEvents,
        TOPIC_DEAD_LETTERS: topics.deadLetters,
      },
      (h) => h?.status === 'up',
    ),
  ];
  const results = await Promise.allSettled(starting);
  const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  const stopAll = async () => {
    await Promise.all(started.map((s) => s.stop()));
    rmSync(stateDir, { recursive: true, force: true });
  };
  if (failed) {
    await stopAll();
    throw failed.reason;
  }
  const [processor, cdc, api] = started as [ServiceHandle, ServiceHandle, ServiceHandle];
  return {
    api,
    processor,
    cdc,
    apiUrl: `http://127.0.0.1:${SWEEP_PORTS.api}`,
    wsUrl: `ws://127.0.0.1:${SWEEP_PORTS.api}`,
    stop: stopAll,
  };
}

/** Every service alive and healthy; the error names the first that is not, with its last output. */
export async function assertHealthy(platform: Platform): Promise<void> {
  const checks: [ServiceHandle, (b: any) => boolean][] = [
    [platform.api, (b) => b?.status === 'up'],
    [platform.processor, (b) => b?.status === 'up' && b?.phase === 'running'],
    [platform.cdc, (b) => b?.connected === true],
  ];
  for (const [service, ok] of checks) {
    if (!service.alive()) {
      throw new Error(`${service.name} died:\n${service.output().slice(-4000)}`);
    }
    const health = await service.get('/health');
    if (!ok(health.body)) {
      throw new Error(`${service.name} unhealthy: ${JSON.stringify(health.body)}`);
    }
  }
}

export interface Collected {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
  json: any;
}

/** Reads topics (read_committed) from the beginning into memory. */
export async function collect(kafka: Kafka, topics: string[]) {
  const consumer: Consumer = kafka.consumer({
    groupId: `sweep-collect-${randomBytes(4).toString('hex')}`,
    maxWaitTimeInMs: 100,
    maxBytesPerPartition: 4 * 1024 * 1024,
  });
  const records: Collected[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      let json: unknown;
      try {
        json = message.value ? JSON.parse(message.value.toString('utf8')) : null;
      } catch {
        json = undefined;
      }
      records.push({
        topic,
        partition,
        offset: message.offset,
        key: message.key,
        value: message.value,
        headers: headerStrings(message.headers),
        json,
      });
    },
  });
  return {
    records,
    of: (topic: string) => records.filter((r) => r.topic === topic),
    stop: () => consumer.disconnect(),
  };
}

function headerStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) out[k] = String(v);
  return out;
}

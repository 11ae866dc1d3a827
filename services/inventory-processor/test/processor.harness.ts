/**
 * Integration-test helpers for the inventory processor: per-test topics on the shared test broker,
 * a processor child process (killable with SIGKILL), JSON producers and read_committed collectors.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { orderItemEventId } from '@kartshoppe/contracts';
import { createLogger } from '@kartshoppe/runtime';
import { Kafka, Partitioners, logLevel, type Consumer, type Producer } from 'kafkajs';
import { testKafkaBrokers, testServiceEnv, waitFor } from '../../../test/support/infra';
import { loadProcessorConfig } from '../src/config';
import { createProcessorApp, type ProcessorApp, type ProcessorAppOptions } from '../src/processor.app';
import { prefixedTopics, type InventoryTopics } from '../src/topology/inventory.topology';

export const ROOT = resolve(__dirname, '../../..');

export function kafka(): Kafka {
  return new Kafka({ clientId: 'processor-it', brokers: testKafkaBrokers(), logLevel: logLevel.NOTHING });
}

export interface TestTopics extends InventoryTopics {
  prefix: string;
}

/** Fresh topics for one test: `<prefix><workshop name>` (the processor's PROCESSOR_TOPIC_PREFIX). */
export async function createTestTopics(k: Kafka, partitions = 3): Promise<TestTopics> {
  const prefix = `it-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}.`;
  const topics = prefixedTopics(prefix);
  const admin = k.admin();
  await admin.connect();
  // Not kafkajs' waitForLeaders: under load a KRaft broker can answer the metadata request that
  // follows the creation with UNKNOWN_TOPIC_OR_PARTITION, which kafkajs does not retry.
  await admin.createTopics({
    topics: Object.entries(topics).map(([name, topic]) => ({
      topic,
      numPartitions: partitions,
      configEntries:
        name === 'changelog' || name === 'products' ? [{ name: 'cleanup.policy', value: 'compact' }] : [],
    })),
  });
  await waitFor('the test topics to have leaders', async () => {
    const { topics: meta } = await admin.fetchTopicMetadata({ topics: Object.values(topics) });
    return meta.every((t) => t.partitions.length === partitions && t.partitions.every((p) => p.leader >= 0));
  });
  await admin.disconnect();
  return { ...topics, prefix };
}

export async function jsonProducer(
  k: Kafka,
): Promise<
  Producer & { sendJson(topic: string, records: { key: string; value: unknown }[]): Promise<void> }
> {
  const producer = k.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  return Object.assign(producer, {
    async sendJson(topic: string, records: { key: string; value: unknown }[]) {
      for (let i = 0; i < records.length; i += 2000) {
        await producer.send({
          topic,
          acks: -1,
          messages: records.slice(i, i + 2000).map((r) => ({
            key: r.key,
            value: typeof r.value === 'string' ? r.value : JSON.stringify(r.value),
          })),
        });
      }
    },
  });
}

/** Order lines n = from … to-1 over `products` (quantity 1–3), keyed by productId as the API sends them. */
export function orderLines(products: readonly string[], from: number, to: number) {
  return Array.from({ length: to - from }, (_, i) => {
    const n = from + i;
    const productId = products[n % products.length]!;
    const orderId = `o-${n}`;
    return {
      key: productId,
      value: {
        eventId: orderItemEventId(orderId, productId),
        orderId,
        productId,
        quantity: (n % 3) + 1,
        timestamp: n,
        source: 'api',
      },
    };
  });
}

/**
 * Exactly once in effect, checked on what was committed: one order-status per order line, and each
 * product's stock is its start stock minus the quantities RESERVED (never negative).
 */
export async function expectExactlyOnce(
  statuses: Collected[],
  lines: number,
  startStock: ReadonlyMap<string, number>,
  get: (path: string) => Promise<{ status: number; body: any }>,
): Promise<void> {
  const byEvent = new Map<string, number>();
  for (const r of statuses) byEvent.set(r.json.eventId, (byEvent.get(r.json.eventId) ?? 0) + 1);
  expect([...byEvent.entries()].filter(([, n]) => n !== 1)).toEqual([]);
  expect(byEvent.size).toBe(lines);
  for (const [productId, start] of startStock) {
    const reserved = statuses
      .filter((r) => r.json.productId === productId && r.json.status === 'RESERVED')
      .reduce((sum, r) => sum + r.json.quantity, 0);
    // Interactive queries serve committed state, written to LMDB just after the Kafka commit returns:
    // right after the offsets reach the end, the last batch may still be on its way into LMDB (or a
    // recreated task still restoring). Wait for it to converge, then assert the value it converged to.
    const expected = start - reserved;
    const state = await waitFor(
      `/state/products/${productId} to show ${expected}`,
      async () => {
        const r = await get(`/state/products/${productId}`);
        return r.status === 200 && r.body.inventory === expected ? r : undefined;
      },
      { timeoutMs: 15_000 },
    ).catch(() => get(`/state/products/${productId}`));
    expect({ productId, inventory: state.body.inventory }).toEqual({
      productId,
      inventory: expected,
    });
    expect(state.body.inventory).toBeGreaterThanOrEqual(0);
  }
}

/**
 * What a new owner of a partition does to a zombie: InitProducerId with the same transactional id
 * (bumps the epoch, aborts its open transaction). The processor's producer for that partition then
 * fails at its next step (produce, AddPartitionsToTxn, EndTxn commit or abort).
 */
export async function fenceTransactionalId(k: Kafka, transactionalId: string): Promise<void> {
  const p = k.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1 });
  await p.connect();
  try {
    const txn = await p.transaction(); // the transactional InitProducerId runs here
    await txn.abort(); // empty: no EndTxn is sent
  } finally {
    await p.disconnect();
  }
}

export interface Collected {
  topic: string;
  key: string | null;
  value: string | null;
  json: any;
  headers: Record<string, string>;
}

export interface Collector {
  records: Collected[];
  of(topic: string): Collected[];
  /** Next offset to read per `topic:partition` (control records and aborted data included). */
  positions: Map<string, bigint>;
  stop(): Promise<void>;
}

/** Collects every committed record of some topics (read_committed) from the beginning. */
export async function collect(k: Kafka, topics: string[]): Promise<Collector> {
  const consumer: Consumer = k.consumer({
    groupId: `collect-${randomBytes(4).toString('hex')}`,
    readUncommitted: false,
    maxWaitTimeInMs: 100,
  });
  const records: Collected[] = [];
  const positions = new Map<string, bigint>();
  // lastOffset counts the transaction markers too, so a caught-up collector reaches the end offset.
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    const key = `${payload.topic}:${payload.partition}`;
    const next = BigInt(payload.lastOffset) + 1n;
    if (next > (positions.get(key) ?? 0n)) positions.set(key, next);
  });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      const value = message.value?.toString('utf8') ?? null;
      let json: unknown = undefined;
      try {
        json = value === null ? null : JSON.parse(value);
      } catch {
        json = undefined;
      }
      const headers: Record<string, string> = {};
      for (const [h, v] of Object.entries(message.headers ?? {})) headers[h] = String(v);
      records.push({ topic, key: message.key?.toString('utf8') ?? null, value, json, headers });
    },
  });
  return {
    records,
    of: (topic) => records.filter((r) => r.topic === topic),
    positions,
    stop: () => consumer.disconnect(),
  };
}

/**
 * Waits until the processor has committed every input record (the group's committed offsets reach
 * the inputs' end offsets), then until the collector has read every output topic to its end. Only then
 * is what the collector holds final: a late duplicate's status cannot arrive after the checks.
 */
export async function waitUntilSettled(
  k: Kafka,
  topics: TestTopics,
  out: Collector,
  outputTopics: string[],
  { timeoutMs = 90_000 }: { timeoutMs?: number } = {},
): Promise<void> {
  const admin = k.admin();
  await admin.connect();
  try {
    const inputs = [topics.productUpdates, topics.orderEvents];
    await waitFor(
      'the processor to commit every input record',
      async () => {
        const committed = await admin.fetchOffsets({ groupId: `${topics.prefix}app`, topics: inputs });
        for (const topic of inputs) {
          const ends = await admin.fetchTopicOffsets(topic);
          const mine = committed.find((c) => c.topic === topic)!.partitions;
          for (const end of ends) {
            const at = BigInt(mine.find((p) => p.partition === end.partition)?.offset ?? '-1');
            if (BigInt(end.high) > 0n && at < BigInt(end.high)) return false;
          }
        }
        return true;
      },
      { timeoutMs, intervalMs: 200 },
    );
    const ends = await Promise.all(
      outputTopics.map(async (t) => [t, await admin.fetchTopicOffsets(t)] as const),
    );
    await waitFor(
      'the collector to read every output to its end',
      () =>
        ends.every(([topic, partitions]) =>
          partitions.every(
            (p) =>
              BigInt(p.high) === 0n || (out.positions.get(`${topic}:${p.partition}`) ?? 0n) >= BigInt(p.high),
          ),
        ),
      { timeoutMs: 30_000, intervalMs: 50 },
    );
  } finally {
    await admin.disconnect();
  }
}

export interface ProcessorProcess {
  child: ChildProcess;
  /** The env it ran with (restart with the same PROCESSOR_STATE_DIR / instance id to reuse state). */
  env: Record<string, string>;
  port: number;
  output: () => string;
  get(path: string): Promise<{ status: number; body: any }>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

let nextPort = 18_900 + Math.floor(Math.random() * 500);

function processorEnv(topics: TestTopics, port: number, extraEnv: Record<string, string>) {
  return testServiceEnv({
    PROCESSOR_PORT: String(port),
    PROCESSOR_APP_ID: `${topics.prefix}app`,
    PROCESSOR_TOPIC_PREFIX: topics.prefix,
    PROCESSOR_STATE_DIR: mkdtempSync(join(tmpdir(), 'processor-state-')),
    PROCESSOR_INSTANCE_ID: 'i1',
    CATALOG_FILE: join(ROOT, 'data/initial-products.json'),
    TIMER_SWEEP_MS: '200',
    PROCESSOR_SESSION_TIMEOUT_MS: '6000',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    ...extraEnv,
  });
}

async function getJson(port: number, path: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, body: (await res.json().catch(() => null)) as any };
}

/** Reads one Prometheus metric from /metrics, summed over its labels. */
export async function metricTotal(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

export interface InProcessProcessor {
  app: ProcessorApp;
  port: number;
  get(path: string): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

/**
 * Starts the processor in this process, on a given kafkajs client (e.g. one with injected faults,
 * test/faulty-kafka.ts), with a recovery policy and an onFatal the test can observe.
 */
export async function startInProcess(
  topics: TestTopics,
  options: ProcessorAppOptions & { kafka: Kafka; env?: Record<string, string> },
): Promise<InProcessProcessor> {
  const port = nextPort++;
  const config = loadProcessorConfig(processorEnv(topics, port, options.env ?? {}));
  const logger = createLogger('inventory-processor-it', process.env.TEST_LOG_LEVEL ?? 'silent');
  const app = createProcessorApp(config, logger, {
    ...options,
    onFatal: options.onFatal ?? ((error) => logger.fatal({ err: error }, 'fatal (test: not exiting)')),
  });
  await app.start();
  const get = (path: string) => getJson(port, path);
  await waitFor(
    `in-process processor on port ${port} to be running`,
    async () => {
      const h = await get('/health');
      return h.status === 200 && h.body?.phase === 'running';
    },
    { timeoutMs: 60_000, intervalMs: 200 },
  );
  let stopped = false;
  return {
    app,
    port,
    get,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await app.stop();
    },
  };
}

/** Starts the processor as a child process (run from source via run-ts). */
export async function startProcessor(
  topics: TestTopics,
  extraEnv: Record<string, string> = {},
): Promise<ProcessorProcess> {
  const port = nextPort++;
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    ...processorEnv(topics, port, extraEnv),
  };
  const child = spawn(
    process.execPath,
    [join(ROOT, 'scripts/run-ts.js'), join(ROOT, 'services/inventory-processor/src/main.ts')],
    {
      env,
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const get = (path: string) => getJson(port, path);
  const proc: ProcessorProcess = {
    child,
    env,
    port,
    output: () => out,
    get,
    stop: (signal: NodeJS.Signals = 'SIGTERM') =>
      new Promise((resolveExit) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolveExit(child.exitCode);
        child.once('exit', (code) => resolveExit(code));
        child.kill(signal);
      }),
  };
  await waitFor(
    `processor on port ${port} to be running (output: ${out.slice(-2000)})`,
    async () => {
      if (child.exitCode !== null)
        throw new Error(`processor exited with ${child.exitCode}: ${out.slice(-3000)}`);
      const h = await get('/health');
      return h.status === 200 && h.body?.phase === 'running';
    },
    { timeoutMs: 60_000, intervalMs: 200 },
  );
  return proc;
}

/**
 * Integration-test helpers for the inventory processor: per-test topics on the shared test broker,
 * a processor child process (killable with SIGKILL), JSON producers and read_committed collectors.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Kafka, Partitioners, logLevel, type Consumer, type Producer } from 'kafkajs';
import { testKafkaBrokers, testServiceEnv, waitFor } from '../../../test/support/infra';
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
  await admin.createTopics({
    waitForLeaders: true,
    topics: Object.entries(topics).map(([name, topic]) => ({
      topic,
      numPartitions: partitions,
      configEntries:
        name === 'changelog' || name === 'products' ? [{ name: 'cleanup.policy', value: 'compact' }] : [],
    })),
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

export interface Collected {
  topic: string;
  key: string | null;
  value: string | null;
  json: any;
  headers: Record<string, string>;
}

/** Collects every committed record of some topics (read_committed) from the beginning. */
export async function collect(
  k: Kafka,
  topics: string[],
): Promise<{ records: Collected[]; of(topic: string): Collected[]; stop(): Promise<void> }> {
  const consumer: Consumer = k.consumer({
    groupId: `collect-${randomBytes(4).toString('hex')}`,
    readUncommitted: false,
    maxWaitTimeInMs: 100,
  });
  const records: Collected[] = [];
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
    stop: () => consumer.disconnect(),
  };
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

/** Starts the processor as a child process (run from source via run-ts). */
export async function startProcessor(
  topics: TestTopics,
  extraEnv: Record<string, string> = {},
): Promise<ProcessorProcess> {
  const port = nextPort++;
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    ...testServiceEnv({
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
    }),
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
  const get = async (path: string): Promise<{ status: number; body: any }> => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`);
    return { status: res.status, body: (await res.json().catch(() => null)) as any };
  };
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

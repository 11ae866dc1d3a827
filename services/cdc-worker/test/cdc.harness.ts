/**
 * Integration-test helpers for the CDC worker: a worker child process per test (own slot, own output
 * topics, killable with SIGKILL), checkout-like order inserts, slot queries and topic collectors.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { Pool } from 'pg';
import type { CdcHealth } from '@kartshoppe/contracts';
import {
  testKafkaBrokers,
  testPgConfig,
  testServiceEnv,
  uniqueName,
  waitFor,
} from '../../../test/support/infra';

export const ROOT = resolve(__dirname, '../../..');

export function kafka(): Kafka {
  return new Kafka({ clientId: 'cdc-it', brokers: testKafkaBrokers(), logLevel: logLevel.NOTHING });
}

export function pgPool(): Pool {
  const pool = new Pool({ ...testPgConfig(), max: 3 });
  pool.on('error', () => undefined);
  return pool;
}

/** Slot names allow only [a-z0-9_]. */
export function uniqueSlot(prefix: string): string {
  return uniqueName(prefix).replace(/[^a-z0-9_]/g, '_');
}

/** Per-test output topics (CDC_*_TOPIC overrides), so tests never see each other's records. */
export interface WorkerTopics {
  orderEvents: string;
  deadLetters: string;
  envelopePrefix: string;
  orders: string;
  orderItems: string;
}

export function uniqueTopics(prefix: string): WorkerTopics {
  const p = uniqueName(prefix);
  return {
    orderEvents: `${p}.order-events`,
    deadLetters: `${p}.dead-letters`,
    envelopePrefix: `${p}.cdc`,
    orders: `${p}.cdc.public.orders`,
    orderItems: `${p}.cdc.public.order_items`,
  };
}

export async function deleteTopics(topics: WorkerTopics): Promise<void> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const names = [topics.orderEvents, topics.deadLetters, topics.orders, topics.orderItems].filter((t) =>
      existing.has(t),
    );
    if (names.length) await admin.deleteTopics({ topics: names });
  } finally {
    await admin.disconnect();
  }
}

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => res(port));
    });
    server.once('error', rej);
  });
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface WorkerHandle {
  slot: string;
  port: number;
  pid: number;
  exited: Promise<Exit>;
  logs(): string;
  health(): Promise<CdcHealth | null>;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<Exit>;
  /** SIGKILL and wait for the exit. */
  kill(): Promise<Exit>;
}

/** Spawns `src/main.ts` (from source) with testServiceEnv() + the slot and topics; waits until it streams. */
export async function startWorker(
  slot: string,
  topics: WorkerTopics,
  extraEnv: Record<string, string> = {},
  { waitConnected = true } = {},
): Promise<WorkerHandle> {
  const port = await freePort();
  const env = {
    ...process.env,
    ...testServiceEnv({
      CDC_SLOT_NAME: slot,
      CDC_PORT: String(port),
      CDC_HEARTBEAT_MS: '300',
      CDC_RECONNECT_INITIAL_MS: '200',
      CDC_RECONNECT_MAX_MS: '2000',
      CDC_ORDER_EVENTS_TOPIC: topics.orderEvents,
      CDC_DEAD_LETTERS_TOPIC: topics.deadLetters,
      CDC_ENVELOPE_TOPIC_PREFIX: topics.envelopePrefix,
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
      ...extraEnv,
    }),
  };
  // From source by default; the bench runs the built dist (CDC_WORKER_FROM_DIST=1) for realistic memory.
  const entry = process.env.CDC_WORKER_FROM_DIST
    ? ['services/cdc-worker/dist/main.js']
    : ['scripts/run-ts.js', 'services/cdc-worker/src/main.ts'];
  const child = spawn(process.execPath, entry, {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr.on('data', (b: Buffer) => (output += b.toString()));
  const exited = new Promise<Exit>((res) => child.once('exit', (code, signal) => res({ code, signal })));
  let done: Exit | null = null;
  void exited.then((e) => (done = e));
  const handle: WorkerHandle = {
    slot,
    port,
    pid: child.pid!,
    exited,
    logs: () => output,
    async health() {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/health`);
        return (await res.json()) as CdcHealth;
      } catch {
        return null;
      }
    },
    async stop() {
      if (!done) child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      if (!done) child.kill('SIGKILL');
      return exited;
    },
  };
  if (waitConnected) {
    await waitFor(
      `cdc worker on slot ${slot} to stream`,
      async () => {
        if (done) throw new Error(`worker exited ${JSON.stringify(done)}:\n${output}`);
        return (await handle.health())?.connected === true;
      },
      { timeoutMs: 45_000, intervalMs: 150 },
    ).catch((e: Error) => {
      child.kill('SIGKILL');
      throw new Error(`${e.message}\n--- worker output ---\n${output}`);
    });
  }
  return handle;
}

export interface SlotRow {
  confirmedFlushLsn: string;
  activePid: number | null;
}

export async function slotRow(pool: Pool, slot: string): Promise<SlotRow | null> {
  const { rows } = await pool.query<{ lsn: string; pid: number | null }>(
    'SELECT confirmed_flush_lsn::text AS lsn, active_pid AS pid FROM pg_replication_slots WHERE slot_name = $1',
    [slot],
  );
  return rows[0] ? { confirmedFlushLsn: rows[0].lsn, activePid: rows[0].pid } : null;
}

/** Drops the slot once no walsender holds it (the worker has exited). */
export async function dropSlot(pool: Pool, slot: string): Promise<void> {
  await waitFor('slot to be released', async () => (await slotRow(pool, slot))?.activePid == null, {
    timeoutMs: 15_000,
  });
  await pool.query(
    'SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1 AND NOT active',
    [slot],
  );
}

export async function lsnCompare(pool: Pool, a: string, b: string): Promise<number> {
  const { rows } = await pool.query<{ d: string }>(
    'SELECT pg_wal_lsn_diff($1::pg_lsn, $2::pg_lsn)::text AS d',
    [a, b],
  );
  return Math.sign(Number(rows[0].d));
}

export interface OrderLine {
  productId: string;
  quantity: number;
  unitPrice: string;
}

/** What the checkout API does: ONE transaction writing the order and its lines with the publish mode. */
export async function insertOrder(
  pool: Pool,
  orderId: string,
  mode: 'cdc' | 'direct',
  lines: OrderLine[],
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO orders (order_id, session_id, customer_id, status, publish_mode, published, subtotal, tax, shipping,
                           total, payment_method)
       VALUES ($1, $2, 'it-user', 'PENDING', $3, $4, '10.00', '0.80', '5.99', '16.79', 'CARD')`,
      [orderId, `it-session-${orderId}`, mode, mode === 'cdc'],
    );
    await client.query(
      `INSERT INTO order_items (order_id, product_id, product_name, quantity, unit_price, line_total, publish_mode)
       SELECT $1, l.product_id, 'Product ' || l.product_id, l.quantity, l.unit_price, l.unit_price * l.quantity, $2
         FROM unnest($3::text[], $4::int[], $5::numeric[]) WITH ORDINALITY AS l(product_id, quantity, unit_price, n)
        ORDER BY l.n`,
      [
        orderId,
        mode,
        lines.map((l) => l.productId),
        lines.map((l) => l.quantity),
        lines.map((l) => l.unitPrice),
      ],
    );
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK');
    throw e;
  } finally {
    client.release();
  }
}

export function lines(n: number, prefix = 'PROD_'): OrderLine[] {
  return Array.from({ length: n }, (_, i) => ({
    productId: `${prefix}${String(i + 1).padStart(4, '0')}`,
    quantity: (i % 5) + 1,
    unitPrice: `${(i % 97) + 1}.${String(i % 100).padStart(2, '0')}`,
  }));
}

export function orderId(prefix = 'IT'): string {
  return uniqueName(prefix).toUpperCase();
}

export interface Collected {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  json: any;
}

/** Reads the worker's output topics from the beginning (they are this test's own). */
export class Collector {
  readonly records: Collected[] = [];
  private constructor(private readonly consumer: Consumer) {}

  static async start(topics: string[]): Promise<Collector> {
    const consumer = kafka().consumer({ groupId: uniqueName('cdc-it'), maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    const collector = new Collector(consumer);
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        collector.records.push({
          topic,
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? null,
          json: message.value ? JSON.parse(message.value.toString()) : null,
        });
      },
    });
    return collector;
  }

  of(topic: string, orderId: string): Collected[] {
    return this.records.filter(
      (r) =>
        r.topic === topic &&
        (r.json?.orderId === orderId || (r.json?.after ?? r.json?.before)?.order_id === orderId),
    );
  }

  async waitCount(topic: string, orderId: string, n: number, timeoutMs = 30_000): Promise<Collected[]> {
    return waitFor(
      `${n} records of ${orderId} on ${topic}`,
      () => {
        const found = this.of(topic, orderId);
        return found.length >= n ? found : undefined;
      },
      { timeoutMs },
    );
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}

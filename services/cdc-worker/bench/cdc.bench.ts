/**
 * CDC worker latency and throughput against the test infrastructure (Postgres 127.0.0.1:35432, Kafka
 * 127.0.0.1:39092; TEST_PG_PORT / TEST_KAFKA_PORT override). The worker runs as a child process with its
 * own slot and its own output topics, created here with message.timestamp.type=LogAppendTime so a
 * record's timestamp is the moment the broker stored it.
 *
 *   npm run bench:cdc -- [--seconds 10] [--rates 200,1000] [--burst-orders 20000]
 *
 * 1. Fixed rates: checkout-like orders (1 order + 3 cdc-mode lines, one transaction each) at each rate;
 *    latency = broker append time of each order event − the Postgres commit time it carries.
 * 2. Burst: a backlog inserted while the worker is stopped (50 orders per transaction), then the worker
 *    starts; rows/s = captured rows (orders + order_items) / (last record appended − streaming start).
 * The LAST line of output is JSON: {"rowsPerSec":…,"p50Ms":…,"p99Ms":…,"rssMb":…} (latency of the
 * highest rate, RSS = the worker's peak resident memory).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { logLevel, Kafka } from 'kafkajs';
import type { Pool, PoolClient } from 'pg';
import { testKafkaBrokers, waitFor } from '../../../test/support/infra';
import {
  deleteTopics,
  dropSlot,
  pgPool,
  ROOT,
  startWorker,
  uniqueSlot,
  uniqueTopics,
  type WorkerHandle,
  type WorkerTopics,
} from '../test/cdc.harness';

/** As deployed: the worker's package start script uses the same V8 flags (small young generation, capped heap). */
const WORKER_ENV = {
  LOG_LEVEL: 'warn',
  CDC_CREATE_TOPICS: 'false',
  NODE_OPTIONS: '--max-semi-space-size=2 --max-old-space-size=128',
};

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const LINES_PER_ORDER = 3;
const INSERT_ORDER = `
  WITH o AS (
    INSERT INTO orders (order_id, session_id, customer_id, status, publish_mode, published, subtotal, tax,
                        shipping, total, payment_method)
    VALUES ($1, 'bench', 'bench', 'PENDING', 'cdc', true, '30.00', '2.40', '5.99', '38.39', 'CARD')
    RETURNING order_id)
  INSERT INTO order_items (order_id, product_id, product_name, quantity, unit_price, line_total, publish_mode)
  SELECT o.order_id, p, 'Bench ' || p, 1, '10.00', '10.00', 'cdc'
    FROM o, unnest($2::text[]) AS p`;

let seq = 0;
function nextOrder(run: string): [string, string[]] {
  const n = seq++;
  const products = Array.from(
    { length: LINES_PER_ORDER },
    (_, i) => `PROD_${String(((n + i) % 64) + 1).padStart(4, '0')}`,
  );
  return [`BENCH-${run}-${n}`, products];
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function rssMb(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : 0;
  } catch {
    return 0;
  }
}

async function createTopics(kafka: Kafka, t: WorkerTopics): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [t.orderEvents, t.orders, t.orderItems, t.deadLetters].map((topic) => ({
      topic,
      numPartitions: 6,
      configEntries: [{ name: 'message.timestamp.type', value: 'LogAppendTime' }],
    })),
  });
  await admin.disconnect();
}

async function endOffsets(kafka: Kafka, topics: string[]): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    let sum = 0;
    for (const topic of topics) for (const p of await admin.fetchTopicOffsets(topic)) sum += Number(p.high);
    return sum;
  } finally {
    await admin.disconnect();
  }
}

/** Inserts orders at `rate`/s for `seconds` (one transaction each); returns the rate achieved. */
async function insertAtRate(pool: Pool, run: string, rate: number, seconds: number): Promise<number> {
  const tickMs = 20;
  const perTick = rate / (1000 / tickMs);
  const startMs = performance.now();
  let due = 0;
  let done = 0;
  const inFlight = new Set<Promise<void>>();
  while (performance.now() - startMs < seconds * 1000) {
    due += perTick;
    while (due >= 1) {
      due--;
      const [id, products] = nextOrder(run);
      const p = pool.query(INSERT_ORDER, [id, products]).then(() => {
        done++;
        inFlight.delete(p);
      });
      inFlight.add(p);
    }
    const next = startMs + Math.ceil((performance.now() - startMs + 1) / tickMs) * tickMs;
    await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())));
  }
  await Promise.all(inFlight);
  return done / ((performance.now() - startMs) / 1000);
}

async function insertBacklog(pool: Pool, run: string, orders: number): Promise<void> {
  const perTx = 50;
  const clients: PoolClient[] = await Promise.all([pool.connect(), pool.connect(), pool.connect()]);
  let next = 0;
  await Promise.all(
    clients.map(async (client) => {
      while (next < orders) {
        const batch = Math.min(perTx, orders - next);
        next += batch;
        await client.query('BEGIN');
        for (let i = 0; i < batch; i++) await client.query(INSERT_ORDER, nextOrder(run));
        await client.query('COMMIT');
      }
      client.release();
    }),
  );
}

async function main(): Promise<void> {
  // Measure the worker as deployed (node dist/main.js), not under ts-node.
  const build = spawnSync(
    process.execPath,
    ['node_modules/typescript/bin/tsc', '-b', 'services/cdc-worker'],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
  if (build.status !== 0) throw new Error('tsc -b services/cdc-worker failed');
  process.env.CDC_WORKER_FROM_DIST = '1';
  const seconds = Number(arg('seconds', '10'));
  const rates = arg('rates', '200,1000').split(',').map(Number);
  const burstOrders = Number(arg('burst-orders', '20000'));
  const kafka = new Kafka({ clientId: 'cdc-bench', brokers: testKafkaBrokers(), logLevel: logLevel.NOTHING });
  const pool = pgPool();
  const slot = uniqueSlot('cdc_bench');
  const topics = uniqueTopics('cdc-bench');
  await createTopics(kafka, topics);
  let worker: WorkerHandle | undefined;
  let peakRss = 0;
  const sampler = setInterval(() => {
    if (worker) peakRss = Math.max(peakRss, rssMb(worker.pid));
  }, 100);

  // Order events by orderId prefix (phase) with broker append time − commit time.
  const latencies = new Map<string, number[]>();
  const consumer = kafka.consumer({ groupId: `${slot}-reader`, maxWaitTimeInMs: 20 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topics.orderEvents], fromBeginning: true });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      for (const m of batch.messages) {
        const e = JSON.parse(m.value!.toString()) as { orderId: string; timestamp: number };
        const phase = e.orderId.split('-')[1];
        const list = latencies.get(phase) ?? [];
        list.push(Number(m.timestamp) - e.timestamp);
        latencies.set(phase, list);
      }
    },
  });

  const rows: string[][] = [];
  let summary = { rowsPerSec: 0, p50Ms: NaN, p99Ms: NaN, rssMb: 0 };
  try {
    worker = await startWorker(slot, topics, WORKER_ENV);
    for (const rate of rates) {
      const run = `r${rate}`;
      const startSeq = seq;
      const achieved = await insertAtRate(pool, run, rate, seconds);
      const committed = seq - startSeq;
      await waitFor(
        `order events of the ${rate}/s run`,
        () => (latencies.get(run)?.length ?? 0) >= committed * LINES_PER_ORDER,
        {
          timeoutMs: 120_000,
        },
      );
      const sorted = [...latencies.get(run)!].sort((a, b) => a - b);
      const p50 = percentile(sorted, 50);
      const p99 = percentile(sorted, 99);
      rows.push([
        `${rate} orders/s`,
        achieved.toFixed(0),
        String(sorted.length),
        p50.toFixed(0),
        p99.toFixed(0),
        sorted[sorted.length - 1].toFixed(0),
      ]);
      summary = { ...summary, p50Ms: p50, p99Ms: p99 };
      console.log(`${run}: worker peak RSS so far ${peakRss.toFixed(0)} MB`);
    }

    // Burst: backlog while stopped, then drain.
    await worker.stop();
    const envelopeTopics = [topics.orders, topics.orderItems];
    const before = await endOffsets(kafka, envelopeTopics);
    await insertBacklog(pool, 'burst', burstOrders);
    const capturedRows = burstOrders * (1 + LINES_PER_ORDER);
    worker = await startWorker(slot, topics, WORKER_ENV);
    const startMs = Date.now();
    await waitFor(
      'the backlog to drain',
      async () => (await endOffsets(kafka, envelopeTopics)) - before >= capturedRows,
      {
        timeoutMs: 300_000,
        intervalMs: 50,
      },
    );
    const drainMs = Date.now() - startMs;
    const rowsPerSec = capturedRows / (drainMs / 1000);
    rows.push([`burst ${burstOrders} orders`, '-', String(capturedRows), '-', '-', `${drainMs} ms total`]);
    summary = { ...summary, rowsPerSec: Math.round(rowsPerSec), rssMb: Math.round(peakRss) };

    console.log('\nCDC worker (commit → record appended in Kafka)');
    console.log(
      ['phase', 'orders/s done', 'records', 'p50 ms', 'p99 ms', 'max ms'].map((h) => h.padEnd(18)).join(''),
    );
    for (const r of rows) console.log(r.map((c) => c.padEnd(18)).join(''));
    console.log(
      `burst: ${Math.round(rowsPerSec)} captured rows/s (orders + order_items; each item also an order event)`,
    );
    console.log(`worker peak RSS: ${peakRss.toFixed(0)} MB`);
  } finally {
    clearInterval(sampler);
    await consumer.disconnect().catch(() => undefined);
    await worker?.stop();
    await dropSlot(pool, slot).catch(() => undefined);
    await pool
      .query(`DELETE FROM orders WHERE order_id LIKE 'BENCH-%' AND session_id = 'bench'`)
      .catch(() => undefined);
    await deleteTopics(topics).catch(() => undefined);
    await pool.end();
  }
  console.log(JSON.stringify(summary));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

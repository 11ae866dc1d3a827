/**
 * Checkout throughput: autocannon against a real API process (spawned from source) with real Postgres
 * (synchronous_commit on) and Kafka, direct-publish mode. Every request checks out a different,
 * pre-filled cart (2 lines), so each one is a full checkout: read cart, one INSERT…DELETE statement,
 * micro-batched publish of its order events. Defaults to the test infrastructure's ports.
 *
 *   npm run bench:checkout            (BENCH_DURATION_S, BENCH_CONNECTIONS, BENCH_SESSIONS to tune)
 *
 * Prints a table, then a LAST line of JSON: {"ordersPerSec":…,"p99Ms":…}.
 */
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';

const ROOT = path.resolve(__dirname, '../../..');
const KAFKA = process.env.BENCH_KAFKA ?? '127.0.0.1:39092';
const PG = {
  host: '127.0.0.1',
  port: Number(process.env.BENCH_PG_PORT ?? 35432),
  user: 'postgres',
  password: 'postgres',
  database: 'ecommerce',
};
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 15);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 60_000);

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

async function main() {
  const run = randomBytes(3).toString('hex');
  const topics = {
    TOPIC_PRODUCTS: `bench-products-${run}`,
    TOPIC_INVENTORY_EVENTS: `bench-inventory-events-${run}`,
    TOPIC_WEBSOCKET_FANOUT: `bench-websocket-fanout-${run}`,
    TOPIC_INVENTORY_ALERTS: `bench-inventory-alerts-${run}`,
    TOPIC_ORDER_STATUS: `bench-order-status-${run}`,
    TOPIC_ORDER_EVENTS: `bench-order-events-${run}`,
    TOPIC_DEAD_LETTERS: `bench-dead-letters-${run}`,
  };
  const kafka = new Kafka({ clientId: 'bench', brokers: [KAFKA], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: Object.values(topics).map((topic) => ({ topic, numPartitions: 6 })),
  });
  const producer = kafka.producer();
  await producer.connect();
  const products = Array.from({ length: 16 }, (_, i) => `PROD_${String(i + 1).padStart(4, '0')}`);
  await producer.send({
    topic: topics.TOPIC_PRODUCTS,
    messages: products.map((productId, i) => ({
      key: productId,
      value: JSON.stringify({
        productId,
        name: `Bench ${i}`,
        description: '',
        category: 'Bench',
        brand: '',
        price: 10 + i + 0.99,
        inventory: 1_000_000,
        imageUrl: '',
        tags: [],
        rating: 4,
        reviewCount: 1,
        version: 1,
      }),
    })),
  });
  await producer.disconnect();

  // Carts for every request, written straight to Postgres (setup is not what we measure).
  const pool = new Pool(PG);
  const prefix = `bench_${run}_`;
  await pool.query(
    `INSERT INTO cart_items (session_id, product_id, quantity)
     SELECT $1 || g, 'PROD_' || lpad(((g % 16) + 1)::text, 4, '0'), 1 + g % 3 FROM generate_series(0, $2 - 1) g
     UNION ALL
     SELECT $1 || g, 'PROD_' || lpad((((g + 7) % 16) + 1)::text, 4, '0'), 1 FROM generate_series(0, $2 - 1) g`,
    [prefix, SESSIONS],
  );

  const port = await freePort();
  const api = spawn(
    process.execPath,
    [path.join(ROOT, 'scripts/run-ts.js'), 'services/checkout-api/src/main.ts'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        ...process.env,
        ...topics,
        API_PORT: String(port),
        API_HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        KAFKA_BOOTSTRAP_SERVERS: KAFKA,
        POSTGRES_HOST: PG.host,
        POSTGRES_PORT: String(PG.port),
        READ_MODEL_GROUP_PREFIX: `bench-read-model-${run}`,
        ORDER_STATUS_GROUP_ID: `bench-order-status-${run}`,
        STOREFRONT_DIR: '/nonexistent',
        PG_POOL_MAX: process.env.BENCH_PG_POOL ?? '16',
      },
    },
  );
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      const ok = await fetch(`${base}/health`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) break;
      if (i > 600) throw new Error('API did not become healthy');
      await new Promise((r) => setTimeout(r, 100));
    }
    let next = 0;
    const result = await autocannon({
      url: base,
      connections: CONNECTIONS,
      duration: DURATION_S,
      requests: [
        {
          method: 'POST',
          path: '/api/ecommerce/checkout',
          headers: { 'content-type': 'application/json' },
          setupRequest: (req) => ({
            ...req,
            body: JSON.stringify({ sessionId: `${prefix}${next++ % SESSIONS}`, useCdc: false }),
          }),
        },
      ],
    });
    const created = await pool.query(
      'SELECT count(*)::int AS n, count(*) FILTER (WHERE published)::int AS p FROM orders WHERE session_id LIKE $1',
      [`${prefix}%`],
    );
    const ordersPerSec = Math.round(result['2xx'] / DURATION_S);
    console.log('\n| metric | value |\n|---|---|');
    const rows: [string, string | number][] = [
      ['duration (s)', DURATION_S],
      ['connections', CONNECTIONS],
      ['2xx', result['2xx']],
      ['non-2xx', result.non2xx],
      ['errors / timeouts', `${result.errors} / ${result.timeouts}`],
      ['orders in Postgres', created.rows[0].n],
      ['orders published (Kafka acked)', created.rows[0].p],
      ['orders/s', ordersPerSec],
      [
        'latency p50 / p90 / p99 (ms)',
        `${result.latency.p50} / ${result.latency.p90} / ${result.latency.p99}`,
      ],
    ];
    for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
    if (next > SESSIONS)
      console.log(`(note: ${next} requests > ${SESSIONS} carts; later requests hit empty carts → 400)`);
    console.log(JSON.stringify({ ordersPerSec, p99Ms: result.latency.p99 }));
  } finally {
    api.kill('SIGTERM');
    await new Promise((r) => api.once('exit', r));
    await pool.query('DELETE FROM cart_items WHERE session_id LIKE $1', [`${prefix}%`]);
    await pool.end();
    await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
    await admin.disconnect();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

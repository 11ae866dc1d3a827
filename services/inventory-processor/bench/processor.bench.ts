/**
 * Processor throughput with exactly-once on: preloads N order events into fresh topics, runs the
 * processor in this process, and measures consume → committed (the consumer group's committed offsets
 * reaching the end of `order-events`, i.e. every output, changelog record and offset committed).
 *
 *   npm run bench:processor -- [--events 100000] [--partitions 6] [--brokers 127.0.0.1:39092]
 *
 * The LAST line of output is JSON: {"eventsPerSec":…,"p99CommitMs":…,"rssMb":…}.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { orderItemEventId } from '@kartshoppe/contracts';
import { createLogger } from '@kartshoppe/runtime';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import { loadProcessorConfig } from '../src/config';
import { createProcessorApp } from '../src/processor.app';
import { prefixedTopics } from '../src/topology/inventory.topology';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1]
    ? process.argv[i + 1]!
    : (process.env[`BENCH_${name.toUpperCase()}`] ?? fallback);
}

async function main(): Promise<void> {
  const events = Number(arg('events', '100000'));
  const partitions = Number(arg('partitions', '6'));
  const brokers = arg('brokers', process.env.KAFKA_BOOTSTRAP_SERVERS ?? '127.0.0.1:39092');
  const products = 64;
  const prefix = `bench-${Date.now().toString(36)}-${randomBytes(2).toString('hex')}.`;
  const topics = prefixedTopics(prefix);
  const kafka = new Kafka({
    clientId: 'processor-bench',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
  });

  const admin = kafka.admin();
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

  // Preload: plenty of stock for every product, then N order lines spread over the products.
  const loadStart = performance.now();
  const producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  const ids = Array.from({ length: products }, (_, i) => `PROD_${String(i + 1).padStart(4, '0')}`);
  await producer.send({
    topic: topics.productUpdates,
    messages: ids.map((productId) => ({
      key: productId,
      value: JSON.stringify({ productId, inventory: 10_000_000 }),
    })),
  });
  for (let from = 0; from < events; from += 10_000) {
    const messages = [];
    for (let n = from; n < Math.min(events, from + 10_000); n++) {
      const productId = ids[n % products]!;
      const orderId = `bench-${n}`;
      messages.push({
        key: productId,
        value: JSON.stringify({
          eventId: orderItemEventId(orderId, productId),
          orderId,
          productId,
          quantity: 1 + (n % 3),
          timestamp: n,
          source: 'api',
        }),
      });
    }
    await producer.send({ topic: topics.orderEvents, acks: -1, messages });
  }
  await producer.disconnect();
  const loadMs = performance.now() - loadStart;

  const stateDir = mkdtempSync(join(tmpdir(), 'processor-bench-'));
  const config = loadProcessorConfig({
    KAFKA_BOOTSTRAP_SERVERS: brokers,
    PROCESSOR_PORT: String(19_500 + Math.floor(Math.random() * 400)),
    PROCESSOR_APP_ID: `${prefix}app`,
    PROCESSOR_TOPIC_PREFIX: prefix,
    PROCESSOR_STATE_DIR: stateDir,
    CATALOG_FILE: resolve(__dirname, '../../../data/initial-products.json'),
    LOG_LEVEL: 'warn',
    PROCESSOR_FETCH_BYTES_PER_PARTITION: arg('fetch-bytes', String(1024 * 1024)),
  });
  const app = createProcessorApp(config, createLogger('inventory-processor-bench', 'warn'));
  let peakRss = process.memoryUsage().rss;
  const rssSampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);

  const start = performance.now();
  await app.start();
  const committed = async () => {
    const offsets = await admin.fetchOffsets({
      groupId: config.PROCESSOR_APP_ID,
      topics: [topics.orderEvents],
    });
    return offsets[0]!.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  };
  let done = 0;
  let firstCommit: { atMs: number; done: number } | undefined;
  const deadline = Date.now() + 600_000;
  while ((done = await committed()) < events) {
    if (Date.now() > deadline) throw new Error(`only ${done} of ${events} committed after 10 minutes`);
    if (!firstCommit && done > 0) firstCommit = { atMs: performance.now(), done };
    await new Promise((r) => setTimeout(r, 50));
  }
  const elapsedMs = performance.now() - start;
  clearInterval(rssSampler);

  const commits = [...app.runtime.metrics.recentCommitMs].sort((a, b) => a - b);
  const pct = (q: number) => commits[Math.min(commits.length - 1, Math.floor(q * commits.length))] ?? 0;
  await app.stop();
  await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
  await admin.disconnect();
  rmSync(stateDir, { recursive: true, force: true });

  const eventsPerSec = Math.round(events / (elapsedMs / 1000));
  const steadyPerSec = firstCommit
    ? Math.round((events - firstCommit.done) / ((start + elapsedMs - firstCommit.atMs) / 1000))
    : eventsPerSec;
  const rows: [string, string][] = [
    ['events', String(events)],
    ['partitions', String(partitions)],
    ['preload (s)', (loadMs / 1000).toFixed(1)],
    ['consume → committed (s, incl. start-up)', (elapsedMs / 1000).toFixed(2)],
    ['events/s (incl. start-up)', String(eventsPerSec)],
    ['events/s (first commit → last)', String(steadyPerSec)],
    ['transactions', String(commits.length)],
    [
      'commit p50 / p99 / max (ms)',
      `${pct(0.5).toFixed(1)} / ${pct(0.99).toFixed(1)} / ${(commits.at(-1) ?? 0).toFixed(1)}`,
    ],
    ['peak RSS (MB)', (peakRss / 1024 / 1024).toFixed(0)],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log('inventory-processor benchmark (exactly-once: outputs + changelog + offsets per transaction)');
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
  console.log(
    JSON.stringify({
      eventsPerSec,
      steadyEventsPerSec: steadyPerSec,
      p99CommitMs: Number(pct(0.99).toFixed(1)),
      rssMb: Math.round(peakRss / 1024 / 1024),
    }),
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

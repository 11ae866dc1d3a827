/**
 * A task whose transaction failed is closed and recreated (Kafka Streams' TaskCorrupted handling):
 * kafkajs leaves a producer whose EndTxn failed in COMMITTING (or ABORTING after a failed abort), where
 * every later transaction() throws, so before this fix a fenced or failed commit stalled the partition
 * until the process restarted; and a commit whose answer was lost had its state discarded although
 * Kafka had committed it, so the batch was applied twice.
 */
import { waitFor } from '../../../test/support/infra';
import { partitionForKey } from '../src/streams/murmur2.partitioner';
import { withFaults } from './faulty-kafka';
import {
  collect,
  createTestTopics,
  expectExactlyOnce,
  fenceTransactionalId,
  jsonProducer,
  kafka,
  metricTotal,
  orderLines,
  startInProcess,
  startProcessor,
  waitUntilSettled,
  type InProcessProcessor,
  type ProcessorProcess,
} from './processor.harness';

jest.setTimeout(180_000);

const PRODUCTS = ['PROD_0010', 'PROD_0020', 'PROD_0030', 'PROD_0040', 'PROD_0050'];
const START_STOCK = 1_500;
const stock = new Map(PRODUCTS.map((p) => [p, START_STOCK]));
const stockUpdates = PRODUCTS.map((productId) => ({
  key: productId,
  value: { productId, inventory: START_STOCK },
}));

describe('inventory processor task recovery', () => {
  const k = kafka();
  const children: ProcessorProcess[] = [];
  const inProcess: InProcessProcessor[] = [];
  afterEach(async () => {
    for (const p of children.splice(0)) await p.stop('SIGKILL');
    for (const p of inProcess.splice(0)) await p.stop();
  });

  it('fenced mid-stream (commit or abort fails, kafkajs stuck): each task is recreated, processing resumes, exactly once', async () => {
    const topics = await createTestTopics(k, 3);
    const producer = await jsonProducer(k);
    const out = await collect(k, [topics.orderStatus]);
    try {
      const proc = await startProcessor(topics);
      children.push(proc);
      await producer.sendJson(topics.productUpdates, stockUpdates);
      const all = orderLines(PRODUCTS, 0, 4_000); // demand 8,000 > 7,500 in stock: some are rejected
      for (let i = 0; i < all.length; i += 800) {
        await producer.sendJson(topics.orderEvents, all.slice(i, i + 800));
        // Fence every partition's producer while the chunk is being processed: whatever step the task
        // is at (produce, AddPartitionsToTxn, EndTxn) fails from now on with PRODUCER_FENCED.
        await Promise.all([0, 1, 2].map((p) => fenceTransactionalId(k, `${topics.prefix}app-${p}`)));
      }
      await producer.sendJson(topics.orderEvents, all.slice(1_000, 1_500)); // redelivered duplicates
      await waitUntilSettled(k, topics, out, [topics.orderStatus]);

      expect(proc.child.exitCode).toBeNull();
      await expectExactlyOnce(out.records, 4_000, stock, proc.get);
      expect(out.records.some((r) => r.json.status === 'REJECTED')).toBe(true);
      expect(await metricTotal(proc.port, 'processor_task_recoveries_total')).toBeGreaterThan(0);
    } finally {
      await out.stop();
      await producer.disconnect();
    }
  });

  it('a commit whose answer is lost (it did commit): the task restores it from the changelog and resumes after it', async () => {
    const topics = await createTestTopics(k, 3);
    const producer = await jsonProducer(k);
    const out = await collect(k, [topics.orderStatus]);
    let commits = 0;
    let lost = 0;
    const faulty = withFaults(kafka(), {
      onCommit: () => {
        if (++commits % 5 !== 0 || lost >= 4) return undefined;
        lost++;
        return 'lose-answer';
      },
    });
    try {
      const proc = await startInProcess(topics, { kafka: faulty });
      inProcess.push(proc);
      await producer.sendJson(topics.productUpdates, stockUpdates);
      const all = orderLines(PRODUCTS, 0, 2_000);
      for (let i = 0; i < all.length; i += 200) {
        // One chunk at a time, so there are many transactions and some answers get lost.
        await producer.sendJson(topics.orderEvents, all.slice(i, i + 200));
        await waitFor(`statuses of the first ${i + 200} lines`, () => out.records.length >= i + 200, {
          timeoutMs: 60_000,
        });
      }
      await producer.sendJson(topics.orderEvents, all.slice(300, 700)); // redelivered duplicates
      await waitUntilSettled(k, topics, out, [topics.orderStatus]);

      expect(lost).toBeGreaterThanOrEqual(3);
      await expectExactlyOnce(out.records, 2_000, stock, proc.get);
      expect(await metricTotal(proc.port, 'processor_task_recoveries_total')).toBe(lost);
    } finally {
      await out.stop();
      await producer.disconnect();
    }
  });

  it('processor.process throws mid-batch: none of its outputs or writes reach the next transaction', async () => {
    const topics = await createTestTopics(k, 1);
    const producer = await jsonProducer(k);
    const out = await collect(k, [topics.inventoryEvents, topics.products]);
    let thrown = false;
    try {
      const proc = await startInProcess(topics, {
        kafka: kafka(),
        // Throws once, after PROD_0020's update was applied: PROD_0010's update earlier in the same
        // batch is already in the outbox and the pending writes.
        wrapProcessor: (inner) => ({
          init: (ctx) => inner.init(ctx),
          close: () => inner.close(),
          pendingTimers: () => inner.pendingTimers?.() ?? 0,
          process: (record) => {
            inner.process(record);
            if (!thrown && record.topic === topics.productUpdates && record.key?.toString() === 'PROD_0020') {
              thrown = true;
              throw new Error('injected: process failed');
            }
          },
        }),
      });
      inProcess.push(proc);
      await waitFor('the catalog', () => out.of(topics.inventoryEvents).length === 64);
      // One batch: both updates (one produce request, one partition).
      await producer.sendJson(topics.productUpdates, [
        { key: 'PROD_0010', value: { productId: 'PROD_0010', inventory: 40 } },
        { key: 'PROD_0020', value: { productId: 'PROD_0020', inventory: 30 } },
      ]);
      await waitUntilSettled(k, topics, out, [topics.inventoryEvents, topics.products]);

      expect(thrown).toBe(true);
      // Applied once each (before the fix the retry applied them again over the kept pending state
      // and committed both attempts' outputs: a second event and version 3).
      const events = out.of(topics.inventoryEvents).slice(64);
      expect(events.map((r) => [r.key, r.json.eventType, r.json.currentInventory, r.json.version])).toEqual([
        ['PROD_0010', 'INVENTORY_DECREASED', 40, 2],
        ['PROD_0020', 'INVENTORY_DECREASED', 30, 2],
      ]);
      expect((await proc.get('/state/products/PROD_0010')).body).toMatchObject({ inventory: 40, version: 2 });
      expect((await proc.get('/state/products/PROD_0020')).body).toMatchObject({ inventory: 30, version: 2 });
      expect(await metricTotal(proc.port, 'processor_task_recoveries_total')).toBe(1);
    } finally {
      await out.stop();
      await producer.disconnect();
    }
  });

  it('a partition that keeps failing is given up after the bounded retries (the process would exit 1)', async () => {
    const topics = await createTestTopics(k, 3);
    const producer = await jsonProducer(k);
    const broken = PRODUCTS.find((p) => partitionForKey(p, 3) === 0)!;
    let failPartition0 = false;
    const faulty = withFaults(kafka(), {
      onCommit: (id) => (failPartition0 && id.endsWith('-0') ? 'fail' : undefined),
    });
    let fatal!: (error: unknown) => void;
    const gaveUp = new Promise<unknown>((resolve) => (fatal = resolve));
    try {
      const proc = await startInProcess(topics, {
        kafka: faulty,
        onFatal: (error) => fatal(error),
        taskRecovery: { maxAttempts: 3, initialBackoffMs: 20, maxBackoffMs: 100 },
      });
      inProcess.push(proc);
      failPartition0 = true;
      await producer.sendJson(topics.orderEvents, orderLines([broken], 0, 1));
      const error = await Promise.race([
        gaveUp,
        new Promise((_, reject) => setTimeout(() => reject(new Error('never gave up')), 60_000)),
      ]);
      expect(String(error)).toMatch(/injected: the commit of .*-0 failed/);
      // 3 recreations, then the 4th failure gives up; the other partitions were never touched.
      const text = await (await fetch(`http://127.0.0.1:${proc.port}/metrics`)).text();
      expect(text).toMatch(/processor_task_recoveries_total\{partition="0",during="batch"[^}]*\} 4\n/);
      expect(text).not.toMatch(/processor_task_recoveries_total\{partition="[12]"/);
    } finally {
      await producer.disconnect();
    }
  });

  it('stopping while a task waits out its backoff does not wait for it', async () => {
    const topics = await createTestTopics(k, 3);
    const producer = await jsonProducer(k);
    let failOnce = false;
    const faulty = withFaults(kafka(), {
      onCommit: (id) => {
        if (!failOnce || !id.endsWith('-0')) return undefined;
        failOnce = false;
        return 'fail';
      },
    });
    try {
      const proc = await startInProcess(topics, {
        kafka: faulty,
        taskRecovery: { maxAttempts: 3, initialBackoffMs: 120_000, maxBackoffMs: 120_000 },
      });
      failOnce = true;
      await producer.sendJson(
        topics.orderEvents,
        orderLines([PRODUCTS.find((p) => partitionForKey(p, 3) === 0)!], 0, 1),
      );
      await waitFor(
        'the task to fail',
        async () => (await metricTotal(proc.port, 'processor_task_recoveries_total')) === 1,
      );
      const stopped = await Promise.race([
        proc.stop().then(() => 'stopped'),
        new Promise((r) => setTimeout(() => r('still waiting for the backoff'), 60_000)),
      ]);
      expect(stopped).toBe('stopped');
    } finally {
      await producer.disconnect();
    }
  });
});

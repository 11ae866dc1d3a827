import { waitFor } from '../../../test/support/infra';
import {
  collect,
  createTestTopics,
  expectExactlyOnce,
  jsonProducer,
  kafka,
  orderLines,
  startProcessor,
  waitUntilSettled,
  type ProcessorProcess,
} from './processor.harness';

jest.setTimeout(120_000);

const PRODUCTS = ['PROD_0010', 'PROD_0020', 'PROD_0030', 'PROD_0040', 'PROD_0050'];
const START_STOCK = 1_500;

describe('inventory processor recovery', () => {
  const k = kafka();
  const running: ProcessorProcess[] = [];
  afterEach(async () => {
    for (const p of running.splice(0)) await p.stop('SIGKILL');
  });

  it('kill -9 in the middle of 5,000 orders: exact final stock, one order-status per eventId (read_committed)', async () => {
    const topics = await createTestTopics(k, 3);
    const producer = await jsonProducer(k);
    const out = await collect(k, [topics.orderStatus]);
    try {
      const first = await startProcessor(topics);
      running.push(first);
      await producer.sendJson(
        topics.productUpdates,
        PRODUCTS.map((productId) => ({ key: productId, value: { productId, inventory: START_STOCK } })),
      );
      const all = orderLines(PRODUCTS, 0, 5_000); // total demand 10,000 > 7,500 in stock: some lines are rejected
      await producer.sendJson(topics.orderEvents, all.slice(0, 2_500));
      await waitFor('some statuses', () => out.records.length >= 500, { intervalMs: 10 });
      await first.stop('SIGKILL');
      running.length = 0;
      // while it is down: the rest, plus 500 redelivered lines (CDC/API duplicates)
      await producer.sendJson(topics.orderEvents, [...all.slice(2_500), ...all.slice(1_000, 1_500)]);

      const second = await startProcessor(topics, { PROCESSOR_STATE_DIR: first.env.PROCESSOR_STATE_DIR! });
      running.push(second);
      // Not "5,000 distinct eventIds seen": the duplicates are sent last, so a wrong status for one of
      // them could still arrive after that. Wait until every input record is committed and every
      // output read to its end; only then are the counts final.
      await waitUntilSettled(k, topics, out, [topics.orderStatus], { timeoutMs: 60_000 });

      await expectExactlyOnce(out.records, 5_000, new Map(PRODUCTS.map((p) => [p, START_STOCK])), second.get);
      expect(out.records).toHaveLength(5_000);
      expect(out.records.some((r) => r.json.status === 'REJECTED')).toBe(true);
    } finally {
      await out.stop();
      await producer.disconnect();
    }
  });

  it('stale timers fire once per quiet period, and after a restart when they came due while down', async () => {
    const topics = await createTestTopics(k, 3);
    const out = await collect(k, [topics.inventoryEvents, topics.alerts]);
    try {
      const env = { STALE_AFTER_MS: '4000', TIMER_SWEEP_MS: '200' };
      const first = await startProcessor(topics, env);
      running.push(first);
      await waitFor(
        'catalog',
        () =>
          out.of(topics.inventoryEvents).filter((r) => r.json.eventType === 'PRODUCT_ADDED').length === 64,
      );
      expect(await first.stop('SIGTERM')).toBe(0); // before any timer came due
      running.length = 0;
      expect(out.records.filter((r) => r.json.eventType === 'STALE_INVENTORY')).toHaveLength(0);
      await new Promise((r) => setTimeout(r, 4_500)); // the processor is down while the timers come due

      const second = await startProcessor(topics, {
        ...env,
        PROCESSOR_STATE_DIR: first.env.PROCESSOR_STATE_DIR!,
      });
      running.push(second);
      const stale = () =>
        out.of(topics.inventoryEvents).filter((r) => r.json.eventType === 'STALE_INVENTORY');
      await waitFor('64 stale events', () => stale().length === 64, { timeoutMs: 10_000 });
      await new Promise((r) => setTimeout(r, 1_500)); // several sweeps later: still once each
      expect(new Set(stale().map((r) => r.key)).size).toBe(64);
      expect(stale()).toHaveLength(64);
      expect(
        stale().every((r) => r.json.currentPrice > 0 && r.json.currentPrice === r.json.previousPrice),
      ).toBe(true);
      expect(out.of(topics.alerts).filter((r) => r.json.alertType === 'STALE_INVENTORY')).toHaveLength(64);
    } finally {
      await out.stop();
    }
  });
});

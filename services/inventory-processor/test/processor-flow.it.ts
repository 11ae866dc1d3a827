import { DEAD_LETTER_HEADERS, orderItemEventId } from '@kartshoppe/contracts';
import { waitFor } from '../../../test/support/infra';
import {
  collect,
  createTestTopics,
  jsonProducer,
  kafka,
  startProcessor,
  type ProcessorProcess,
  type TestTopics,
} from './processor.harness';

jest.setTimeout(90_000);

const order = (orderId: string, productId: string, quantity: number) => ({
  key: productId,
  value: {
    eventId: orderItemEventId(orderId, productId),
    orderId,
    productId,
    quantity,
    timestamp: Date.now(),
    source: 'api',
  },
});

describe('inventory processor against a real broker', () => {
  const k = kafka();
  let topics: TestTopics;
  let proc: ProcessorProcess | undefined;
  let out: Awaited<ReturnType<typeof collect>>;
  let producer: Awaited<ReturnType<typeof jsonProducer>>;

  beforeAll(async () => {
    topics = await createTestTopics(k, 3);
    producer = await jsonProducer(k);
    proc = await startProcessor(topics, { STALE_AFTER_MS: '600000' });
    out = await collect(k, [
      topics.products,
      topics.inventoryEvents,
      topics.websocketFanout,
      topics.alerts,
      topics.orderStatus,
      topics.deadLetters,
    ]);
  });

  afterAll(async () => {
    await out?.stop();
    await producer?.disconnect();
    expect(await proc?.stop()).toBe(0);
  });

  it('bootstraps the catalog on a first start (64 products, one PRODUCT_ADDED each)', async () => {
    await waitFor('catalog in products', () => new Set(out.of(topics.products).map((r) => r.key)).size >= 64);
    const added = out.of(topics.inventoryEvents).filter((r) => r.json.eventType === 'PRODUCT_ADDED');
    expect(new Set(added.map((r) => r.key)).size).toBe(64);
    const state = await proc!.get('/state/products');
    expect(state.body.products).toHaveLength(64);
    const one = await proc!.get('/state/products/PROD_0001');
    expect(one.body).toMatchObject({ productId: 'PROD_0001', inventory: 10, price: 1899.99 });
    expect((await proc!.get('/state/products/NOPE_1')).status).toBe(404);
  });

  it('a restock and an order reach every output with the right values', async () => {
    await producer.sendJson(topics.productUpdates, [
      { key: 'PROD_0002', value: { productId: 'PROD_0002', inventory: 500 } },
    ]);
    await producer.sendJson(topics.orderEvents, [order('o-flow', 'PROD_0002', 4)]);
    const status = await waitFor('order status', () =>
      out.of(topics.orderStatus).find((r) => r.key === 'o-flow'),
    );
    expect(status.json).toMatchObject({
      status: 'RESERVED',
      remainingInventory: 496,
      quantity: 4,
      reason: null,
    });
    const events = out
      .of(topics.inventoryEvents)
      .filter((r) => r.key === 'PROD_0002')
      .map((r) => r.json);
    expect(events.map((e) => e.eventType)).toEqual([
      'PRODUCT_ADDED',
      'INVENTORY_INCREASED',
      'INVENTORY_DECREASED',
    ]);
    expect(events[2]).toMatchObject({
      previousInventory: 500,
      currentInventory: 496,
      eventId: 'o-flow:PROD_0002',
    });
    await waitFor(
      'websocket fanout',
      () => out.of(topics.websocketFanout).filter((r) => r.key === 'PROD_0002').length === 3,
    );
    await waitFor(
      'products has 496',
      () =>
        out
          .of(topics.products)
          .filter((r) => r.key === 'PROD_0002')
          .at(-1)?.json.inventory === 496,
    );
  });

  it('over-ordering a product with 3 left rejects and leaves 3', async () => {
    await producer.sendJson(topics.productUpdates, [
      { key: 'PROD_0005', value: { productId: 'PROD_0005', inventory: 3 } },
    ]);
    await producer.sendJson(topics.orderEvents, [order('o-over', 'PROD_0005', 4)]);
    const status = await waitFor('rejection', () =>
      out.of(topics.orderStatus).find((r) => r.key === 'o-over'),
    );
    expect(status.json).toMatchObject({
      status: 'REJECTED',
      reason: 'INSUFFICIENT_STOCK',
      remainingInventory: 3,
    });
    expect((await proc!.get('/state/products/PROD_0005')).body.inventory).toBe(3);
    const low = out
      .of(topics.alerts)
      .filter((r) => r.key === 'PROD_0005')
      .map((r) => r.json.alertType);
    expect(low).toEqual(['LOW_STOCK']);
  });

  it('poison reaches dead-letters with origin headers and processing continues', async () => {
    await producer.sendJson(topics.orderEvents, [{ key: 'PROD_0007', value: '{not json' }]);
    await producer.sendJson(topics.productUpdates, [
      { key: 'PROD_9999', value: { productId: 'PROD_9999', inventory: 1 } },
    ]);
    await producer.sendJson(topics.orderEvents, [
      order('o-after-poison', 'PROD_0007', 1),
      { key: 'PROD_0008', value: { ...order('o-neg', 'PROD_0008', 1).value, quantity: -5 } },
    ]);
    await waitFor('after poison', () => out.of(topics.orderStatus).find((r) => r.key === 'o-after-poison'));
    const dead = await waitFor('3 dead letters', () =>
      out.of(topics.deadLetters).length >= 3 ? out.of(topics.deadLetters) : false,
    );
    expect(dead.map((d) => d.headers[DEAD_LETTER_HEADERS.originTopic]).sort()).toEqual(
      [topics.orderEvents, topics.orderEvents, topics.productUpdates].sort(),
    );
    expect(dead.find((d) => d.value === '{not json')?.headers[DEAD_LETTER_HEADERS.error]).toMatch(
      /malformed JSON/,
    );
    expect(dead.every((d) => /^\d+$/.test(d.headers[DEAD_LETTER_HEADERS.originOffset]!))).toBe(true);
    expect((await proc!.get('/health')).body.deadLetters).toBe(3);
  });

  it('an unknown product order is rejected, not dropped', async () => {
    await producer.sendJson(topics.orderEvents, [order('o-unknown', 'PROD_7777', 1)]);
    const status = await waitFor('unknown', () =>
      out.of(topics.orderStatus).find((r) => r.key === 'o-unknown'),
    );
    expect(status.json).toMatchObject({
      status: 'REJECTED',
      reason: 'UNKNOWN_PRODUCT',
      remainingInventory: null,
    });
  });

  it('serves health and metrics', async () => {
    const health = await proc!.get('/health');
    expect(health.body).toMatchObject({ component: 'inventory-processor', status: 'up', phase: 'running' });
    expect(health.body.partitions).toHaveLength(3);
    const metrics = await fetch(`http://127.0.0.1:${proc!.port}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/processor_records_in_total/);
    expect(metrics).toMatch(/processor_transaction_duration_seconds_bucket/);
  });
});

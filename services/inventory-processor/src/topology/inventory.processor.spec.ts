import {
  AlertEventSchema,
  DEAD_LETTER_HEADERS,
  InventoryEventSchema,
  OrderItemStatusSchema,
  ProductSchema,
  orderItemEventId,
} from '@kartshoppe/contracts';
import { DEFAULT_RULES_CONFIG, type KeyState } from '../rules';
import { partitionForKey } from '../streams/murmur2.partitioner';
import { TopologyTestDriver } from '../streams/test-driver';
import { InventoryProcessor } from './inventory.processor';
import { CATALOG_SOURCE, CHILD, DEFAULT_TOPICS } from './inventory.topology';

const PU = DEFAULT_TOPICS.productUpdates;
const OE = DEFAULT_TOPICS.orderEvents;
const STALE_MS = 5_000;

function driver(partitionCount = 1) {
  return new TopologyTestDriver<KeyState>(
    () =>
      new InventoryProcessor({
        topics: DEFAULT_TOPICS,
        rules: { ...DEFAULT_RULES_CONFIG, staleAfterMs: STALE_MS },
        timerSweepMs: 1_000,
      }),
    { partitionCount },
  );
}

const laptop = {
  productId: 'PROD_0001',
  name: 'FutureTech UltraBook Pro 15',
  category: 'Electronics',
  brand: 'FutureTech',
  price: 1899.99,
  inventory: 10,
};

function orderEvent(orderId: string, quantity: number, productId = 'PROD_0001') {
  return {
    eventId: orderItemEventId(orderId, productId),
    orderId,
    productId,
    quantity,
    timestamp: 1,
    source: 'api',
  };
}

describe('InventoryProcessor topology', () => {
  it('routes a product update and an order to every output with contract-valid values', () => {
    const d = driver();
    d.pipe(PU, 'PROD_0001', laptop);
    d.pipe(OE, 'PROD_0001', orderEvent('o-1', 3));

    const products = d.values(CHILD.products).map((p) => ProductSchema.parse(p));
    expect(products.map((p) => [p.inventory, p.version])).toEqual([
      [10, 1],
      [7, 2],
    ]);
    const events = d.values(CHILD.inventoryEvents).map((e) => InventoryEventSchema.parse(e));
    expect(events.map((e) => e.eventType)).toEqual(['PRODUCT_ADDED', 'INVENTORY_DECREASED']);
    expect(d.values(CHILD.websocketFanout)).toEqual(d.values(CHILD.inventoryEvents));
    const alerts = d.values(CHILD.alerts).map((a) => AlertEventSchema.parse(a));
    expect(alerts.map((a) => `${a.alertType}/${a.severity}/${a.currentInventory}`)).toEqual([
      'LOW_STOCK/WARNING/10',
      'LOW_STOCK/WARNING/7',
    ]);
    const statuses = d.forwarded(CHILD.orderStatus);
    expect(statuses.map((s) => s.key)).toEqual(['o-1']);
    expect(OrderItemStatusSchema.parse(statuses[0]!.value)).toMatchObject({
      status: 'RESERVED',
      remainingInventory: 7,
    });
    expect(d.store().get('PROD_0001')?.product?.inventory).toBe(7);
  });

  it('over-ordering a product with 3 left rejects and leaves 3 (F-FL-1)', () => {
    const d = driver();
    d.pipe(PU, 'PROD_0001', { ...laptop, inventory: 3 });
    d.clearForwarded();
    d.pipe(OE, 'PROD_0001', orderEvent('o-2', 4));
    expect(d.values(CHILD.orderStatus)).toEqual([
      expect.objectContaining({ status: 'REJECTED', reason: 'INSUFFICIENT_STOCK', remainingInventory: 3 }),
    ]);
    expect(d.values(CHILD.inventoryEvents)).toEqual([
      expect.objectContaining({ eventType: 'ORDER_REJECTED' }),
    ]);
    expect(d.forwarded(CHILD.products)).toEqual([]);
    expect(d.store().get('PROD_0001')?.product?.inventory).toBe(3);
  });

  it('a redelivered order line produces nothing', () => {
    const d = driver();
    d.pipe(PU, 'PROD_0001', laptop);
    d.pipe(OE, 'PROD_0001', orderEvent('o-1', 1));
    d.clearForwarded();
    d.pipe(OE, 'PROD_0001', orderEvent('o-1', 1));
    expect(d.forwarded()).toEqual([]);
  });

  it('an order line for an unknown product is decided once, even when the product appears before its redelivery', () => {
    const d = driver();
    d.pipe(OE, 'PROD_0001', orderEvent('o-1', 1));
    expect(d.values(CHILD.orderStatus)).toEqual([
      expect.objectContaining({ status: 'REJECTED', reason: 'UNKNOWN_PRODUCT' }),
    ]);
    d.pipe(OE, 'PROD_0001', orderEvent('o-1', 1));
    d.pipe(PU, 'PROD_0001', laptop);
    d.restart(); // the remembered rejection is state: it survives a restart (and is changelogged)
    d.advanceWallClock(10 * STALE_MS); // a key without a product has no stale timer of its own
    d.pipe(OE, 'PROD_0001', orderEvent('o-1', 1));
    expect(d.values(CHILD.orderStatus)).toHaveLength(1);
    expect(d.store().get('PROD_0001')?.product?.inventory).toBe(10);
  });

  it.each([
    ['malformed JSON', OE, '{"eventId":', /malformed JSON/],
    [
      'schema violation: negative quantity',
      OE,
      JSON.stringify({ ...orderEvent('o-9', 1), quantity: -2 }),
      /quantity/,
    ],
    [
      'product without name',
      PU,
      JSON.stringify({ productId: 'PROD_0042', inventory: 5 }),
      /patch of unknown product PROD_0042/,
    ],
    ['tombstone', PU, null, /tombstone/],
    // The dead letter names the wrong field of a product update or of an array element (not just "Invalid input").
    [
      'product update: inventory as a string',
      PU,
      '{"productId":"PROD_0042","inventory":"10"}',
      /^schema violation: inventory:/,
    ],
    ['product update: missing productId', PU, ' {"inventory":5}', /^schema violation: productId:/],
    [
      'product update array: one bad element',
      PU,
      '[{"productId":"PROD_0042","inventory":-1}]',
      /^schema violation: 0\.inventory:/,
    ],
  ])('dead-letters poison (%s) with origin headers and goes on (F-FL-4)', (_title, topic, value, error) => {
    const d = driver();
    d.pipe(topic, 'PROD_0042', value);
    d.pipe(PU, 'PROD_0001', laptop);
    const [dead, ...more] = d.forwarded(CHILD.deadLetters);
    expect(more).toEqual([]);
    expect(dead!.key).toBe('PROD_0042');
    expect(dead!.value).toBe(value === null ? null : value);
    expect(dead!.headers).toMatchObject({
      [DEAD_LETTER_HEADERS.originTopic]: topic,
      [DEAD_LETTER_HEADERS.originPartition]: '0',
      [DEAD_LETTER_HEADERS.originOffset]: '0',
      [DEAD_LETTER_HEADERS.component]: 'inventory-processor',
    });
    expect(dead!.headers[DEAD_LETTER_HEADERS.error]).toMatch(error);
    expect(d.store().get('PROD_0001')).toBeDefined();
  });

  it('re-keys records that landed on the wrong partition instead of touching foreign state', () => {
    const d = driver(3);
    const right = partitionForKey('PROD_0001', 3);
    const wrong = (right + 1) % 3;
    d.pipe(PU, null, laptop, undefined, wrong);
    expect(d.forwarded(CHILD.repartitionProductUpdates)).toEqual([
      expect.objectContaining({ key: 'PROD_0001', partition: wrong }),
    ]);
    expect(d.store(wrong).size()).toBe(0);
  });

  it('splits an array of products into one record per product (the original parser accepted arrays)', () => {
    const d = driver();
    d.pipe(PU, 'x', [laptop, { ...laptop, productId: 'PROD_0002' }]);
    expect(d.forwarded(CHILD.repartitionProductUpdates).map((r) => r.key)).toEqual([
      'PROD_0001',
      'PROD_0002',
    ]);
  });

  it('fires the stale timer once per quiet period with prices (F-RM-1), re-armed by orders', () => {
    const d = driver();
    d.pipe(PU, 'PROD_0001', laptop);
    d.clearForwarded();
    d.advanceWallClock(STALE_MS - 1_000);
    expect(d.forwarded()).toEqual([]);
    d.advanceWallClock(1_000);
    expect(d.values(CHILD.inventoryEvents)).toEqual([
      expect.objectContaining({ eventType: 'STALE_INVENTORY', currentPrice: 1899.99, currentInventory: 10 }),
    ]);
    expect(d.values(CHILD.alerts)).toEqual([expect.objectContaining({ alertType: 'STALE_INVENTORY' })]);
    d.clearForwarded();
    d.advanceWallClock(10 * STALE_MS);
    expect(d.forwarded()).toEqual([]);
    d.pipe(OE, 'PROD_0001', orderEvent('o-1', 1));
    d.clearForwarded();
    d.advanceWallClock(STALE_MS);
    expect(d.values(CHILD.inventoryEvents)).toEqual([
      expect.objectContaining({ eventType: 'STALE_INVENTORY' }),
    ]);
  });

  it('a timer that came due while the processor was down fires within one sweep after the restart', () => {
    const d = driver();
    d.pipe(PU, 'PROD_0001', laptop);
    d.restart();
    d.clearForwarded();
    d.advanceWallClock(STALE_MS + 1_000);
    expect(d.values(CHILD.inventoryEvents)).toEqual([
      expect.objectContaining({ eventType: 'STALE_INVENTORY' }),
    ]);
  });

  it('applies catalog records one by one: a bad one is dead-lettered, the rest load (F-FL-9)', () => {
    const d = driver();
    d.pipe(CATALOG_SOURCE, 'PROD_0001', laptop, undefined, 0);
    d.pipe(CATALOG_SOURCE, 'PROD_0002', { productId: 'PROD_0002', name: '' }, undefined, 0);
    d.pipe(CATALOG_SOURCE, 'PROD_0003', { ...laptop, productId: 'PROD_0003' }, undefined, 0);
    expect(d.store().size()).toBe(2);
    expect(d.forwarded(CHILD.deadLetters)).toHaveLength(1);
  });

  it('never re-applies a catalog record over newer state (F-FL-3)', () => {
    const d = driver();
    d.pipe(PU, 'PROD_0001', laptop);
    d.pipe(OE, 'PROD_0001', orderEvent('o-1', 4));
    d.clearForwarded();
    d.pipe(CATALOG_SOURCE, 'PROD_0001', laptop, undefined, 0);
    expect(d.forwarded()).toEqual([]);
    expect(d.store().get('PROD_0001')?.product?.inventory).toBe(6);
  });
});

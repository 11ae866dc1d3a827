import { world, type WorldStep } from './records.fixtures';
import type { ChaosRecords, Discrepancy } from './records';
import { verify } from './verifier';

const CATALOG = { P1: 10, P2: 5 };
const STEPS: WorldStep[] = [
  {
    order: 'o1',
    lines: [
      ['P1', 3],
      ['P2', 2],
    ],
  },
  { order: 'o2', lines: [['P2', 4]], useCdc: true }, // 3 left: rejected (over-ordering)
  { restock: 'P2', inventory: 20 },
  { poison: 'not json', topic: 'order-events' },
  { order: 'o3', lines: [['P2', 20]], useCdc: true }, // exactly the stock: OUT_OF_STOCK
  { order: 'o4', lines: [['P1', 7]] }, // exactly the stock
  { poison: 'patch of an unknown product', topic: 'product-updates' },
];

function healthy(): ChaosRecords {
  return world(CATALOG, STEPS);
}

function checks(found: Discrepancy[]): string[] {
  return [...new Set(found.map((d) => d.check))].sort();
}

describe('chaos verifier', () => {
  it('finds nothing wrong in a correct run (reservations, a rejection, a restock, poison)', () => {
    const r = healthy();
    expect(r.orderStatuses.map((s) => s.status)).toEqual([
      'RESERVED',
      'RESERVED',
      'REJECTED',
      'RESERVED',
      'RESERVED',
    ]);
    expect(verify(r)).toEqual([]);
  });

  it('accepts redelivered order events (at-least-once) as long as they had one effect', () => {
    const r = healthy();
    r.orderEvents.push({ ...r.orderEvents[0]! }, { ...r.orderEvents[2]! });
    expect(verify(r)).toEqual([]);
  });

  it('detects an acknowledged order missing from Postgres', () => {
    const r = healthy();
    r.postgresOrders = r.postgresOrders.filter((o) => o.orderId !== 'o2');
    expect(checks(verify(r))).toContain('acknowledged-order-missing');
    expect(verify(r).find((d) => d.check === 'acknowledged-order-missing')?.subject).toBe('o2');
  });

  it('detects an acknowledged order line that never reached order-events', () => {
    const r = healthy();
    r.orderEvents = r.orderEvents.filter((e) => e.eventId !== 'o1:P2');
    expect(verify(r)).toEqual([
      expect.objectContaining({ check: 'acknowledged-order-not-published', subject: 'o1:P2' }),
    ]);
  });

  it('detects an order placed twice for one idempotencyKey', () => {
    const r = healthy();
    r.acknowledged.push({ ...r.acknowledged[0]!, orderId: 'o1-again' });
    expect(checks(verify(r))).toContain('order-placed-twice');
  });

  it('detects a double deduction (the same eventId applied twice)', () => {
    const r = healthy();
    // o1:P1 applied a second time after o4: 3 more units gone, a second RESERVED.
    const last = r.inventoryEvents.filter((e) => e.productId === 'P1').at(-1)!;
    r.inventoryEvents.push({
      productId: 'P1',
      eventType: 'OUT_OF_STOCK',
      previousInventory: last.currentInventory,
      currentInventory: last.currentInventory,
      version: last.version + 1,
      eventId: 'o1:P1',
    });
    r.orderStatuses.push({ ...r.orderStatuses[0]! });
    const found = verify(r);
    expect(checks(found)).toEqual(expect.arrayContaining(['duplicate-effect', 'duplicate-status']));
    expect(found.find((d) => d.check === 'duplicate-effect')?.subject).toBe('o1:P1');
  });

  it('detects a deduction replayed by a zombie (a version written twice)', () => {
    const r = healthy();
    const p1 = r.inventoryEvents.filter((e) => e.productId === 'P1');
    r.inventoryEvents.push({ ...p1[1]!, eventId: 'o9:P1' });
    expect(checks(verify(r))).toEqual(expect.arrayContaining(['stock-chain', 'reservation-effect']));
  });

  it('detects a stock that went negative', () => {
    const r = healthy();
    const i = r.inventoryEvents.findIndex((e) => e.eventId === 'o4:P1');
    r.inventoryEvents[i] = { ...r.inventoryEvents[i]!, currentInventory: -2 };
    r.processorState = r.processorState.map((p) => (p.productId === 'P1' ? { ...p, inventory: -2 } : p));
    const found = verify(r);
    expect(checks(found)).toContain('negative-stock');
    expect(found.filter((d) => d.check === 'negative-stock').map((d) => d.subject)).toContain('P1');
  });

  it('detects a missing dead-letter record', () => {
    const r = healthy();
    r.deadLetters = r.deadLetters.slice(1);
    expect(verify(r)).toEqual([
      expect.objectContaining({ check: 'poison-not-dead-lettered', subject: 'order-events/1/1' }),
    ]);
  });

  it('detects a poison record dead-lettered twice', () => {
    const r = healthy();
    r.deadLetters.push({ ...r.deadLetters[0]! });
    expect(checks(verify(r))).toEqual(['poison-dead-lettered-twice']);
  });

  it('detects a committed order line without a status, and a status Postgres did not record', () => {
    const r = healthy();
    r.orderStatuses = r.orderStatuses.filter((s) => s.eventId !== 'o2:P2');
    r.postgresOrders[0]!.items[0]!.status = 'PENDING';
    expect(checks(verify(r))).toEqual(['order-line-without-status', 'order-status', 'postgres-status']);
  });

  it("detects an order whose own status does not follow from its lines'", () => {
    const r = healthy();
    r.postgresOrders.find((o) => o.orderId === 'o2')!.status = 'CONFIRMED'; // its only line was REJECTED
    expect(verify(r)).toEqual([
      expect.objectContaining({
        check: 'order-status',
        subject: 'o2',
        detail: expect.stringContaining('REJECTED'),
      }),
    ]);
  });

  it('detects a status or an order event for an order that was never committed', () => {
    const r = healthy();
    r.orderEvents.push({
      eventId: 'ghost:P1',
      orderId: 'ghost',
      productId: 'P1',
      quantity: 1,
      source: 'api',
    });
    r.orderStatuses.push({ ...r.orderStatuses[2]!, eventId: 'ghost:P2', orderId: 'ghost' });
    expect(checks(verify(r))).toEqual(
      expect.arrayContaining(['event-without-order', 'status-without-order']),
    );
  });

  it('detects a lost restock', () => {
    const r = healthy();
    r.restocks.push({ productId: 'P1', inventory: 50, partition: 0, offset: '99' });
    expect(verify(r)).toEqual([expect.objectContaining({ check: 'restocks-applied', subject: 'P1' })]);
  });

  it('detects a final stock that disagrees with initial + restocks − reserved', () => {
    const r = healthy();
    r.processorState = r.processorState.map((p) => (p.productId === 'P2' ? { ...p, inventory: 1 } : p));
    r.apiReadModel = r.apiReadModel!.filter((p) => p.productId !== 'P1');
    expect(verify(r)).toEqual([
      expect.objectContaining({
        check: 'final-stock',
        subject: 'P1',
        detail: expect.stringContaining('API read model'),
      }),
      expect.objectContaining({
        check: 'final-stock',
        subject: 'P2',
        detail: expect.stringContaining('processor state'),
      }),
    ]);
  });

  it('detects a reservation whose deduction is missing from inventory-events', () => {
    const r = healthy();
    // P2's restock is lost from the topic too, so only the order side disagrees with the chain
    r.inventoryEvents = r.inventoryEvents.filter((e) => e.eventId !== 'o3:P2');
    const found = verify(r);
    expect(checks(found)).toEqual(expect.arrayContaining(['reservation-effect', 'stock-equation']));
  });

  it('detects a service that is not ready after the platform settled, and a crash loop', () => {
    const r = healthy();
    r.health = [
      { component: 'checkout-api', ready: true, detail: 'up' },
      { component: 'processor-2', ready: false, detail: 'phase restoring' },
    ];
    r.unexpectedExits = [
      { component: 'cdc-worker', exit: '1' },
      { component: 'checkout-api', exit: '1' },
      { component: 'cdc-worker', exit: '1' },
      { component: 'cdc-worker', exit: 'SIGABRT' },
    ];
    expect(verify(r)).toEqual([
      expect.objectContaining({ check: 'not-ready-after-recovery', subject: 'processor-2' }),
      expect.objectContaining({ check: 'crash-loop', subject: 'cdc-worker' }),
    ]);
  });
});

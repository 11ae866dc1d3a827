import { InventoryEventSchema, OrderItemStatusSchema } from '@kartshoppe/contracts';
import type { KeyState } from './inventory-state';
import { applyOrderDeduction } from './order-deduction.rules';
import { applyProductUpdate } from './product-update.rules';
import { CONFIG, T0, fullProduct, order, stateWith, summary } from './rules.fixtures';

describe('applyOrderDeduction', () => {
  it.each([
    [
      'plenty left',
      50,
      3,
      ['product inv=47 price=1899.99 v=2', 'event INVENTORY_DECREASED 50->47', 'status RESERVED left=47'],
    ],
    [
      'into low stock (<= 10 on the order path too, F-FL-2)',
      12,
      2,
      [
        'product inv=10 price=1899.99 v=2',
        'event INVENTORY_DECREASED 12->10',
        'alert LOW_STOCK WARNING',
        'status RESERVED left=10',
      ],
    ],
    [
      'into critical',
      10,
      5,
      [
        'product inv=5 price=1899.99 v=2',
        'event INVENTORY_DECREASED 10->5',
        'alert LOW_STOCK CRITICAL',
        'status RESERVED left=5',
      ],
    ],
    [
      'exactly to 0 → OUT_OF_STOCK event type (F-FL-2)',
      3,
      3,
      [
        'product inv=0 price=1899.99 v=2',
        'event OUT_OF_STOCK 3->0',
        'alert OUT_OF_STOCK CRITICAL',
        'status RESERVED left=0',
      ],
    ],
    [
      'more than available → rejected, nothing deducted (F-FL-1: no clamp, no oversell)',
      3,
      4,
      ['event ORDER_REJECTED 3->3', 'status REJECTED INSUFFICIENT_STOCK left=3'],
    ],
    [
      'any order of an empty product → rejected, no repeated OUT_OF_STOCK alert (F-FL-2)',
      0,
      1,
      ['event ORDER_REJECTED 0->0', 'status REJECTED INSUFFICIENT_STOCK left=0'],
    ],
  ])('%s', (_title, inventory, quantity, expected) => {
    const r = applyOrderDeduction(stateWith({ inventory }), order('o-1', quantity), CONFIG, T0 + 10);
    expect(summary(r)).toEqual(expected);
    expect(r.state?.product.inventory).toBe(
      inventory - (expected.some((s) => s.includes('RESERVED')) ? quantity : 0),
    );
  });

  it('rejects an order for an unknown product with UNKNOWN_PRODUCT instead of dropping it (F-FL-6), and remembers it', () => {
    const r = applyOrderDeduction(undefined, order('o-1', 1, 'PROD_4242'), CONFIG, T0);
    expect(summary(r)).toEqual(['status REJECTED UNKNOWN_PRODUCT left=null']);
    expect(r.state).toEqual({ product: null, appliedEventIds: ['o-1:PROD_4242'] });
  });

  describe('a line rejected for an unknown product gets no second verdict', () => {
    const rejected = applyOrderDeduction(undefined, order('o-1', 2, 'PROD_0001'), CONFIG, T0);

    it('a redelivery is not rejected again', () => {
      const again = applyOrderDeduction(rejected.state, order('o-1', 2), CONFIG, T0 + 1);
      expect(again.outputs).toEqual([]);
      expect(again.state).toBe(rejected.state);
    });

    it('nor RESERVED when the product appeared in between (Postgres keeps REJECTED); other lines are', () => {
      const added = applyProductUpdate(rejected.state, fullProduct({ inventory: 50 }), CONFIG, T0 + 1);
      expect(added.state?.appliedEventIds).toEqual(['o-1:PROD_0001']);
      const again = applyOrderDeduction(added.state, order('o-1', 2), CONFIG, T0 + 2);
      expect(again.outputs).toEqual([]);
      expect(again.state?.product?.inventory).toBe(50);
      expect(summary(applyOrderDeduction(added.state, order('o-2', 2), CONFIG, T0 + 3))).toContain(
        'status RESERVED left=48',
      );
    });

    it('remembers them within the dedup window, oldest dropped first', () => {
      const config = { ...CONFIG, dedupWindowEvents: 2 };
      let state: KeyState | undefined;
      for (const id of ['a', 'b', 'c']) state = applyOrderDeduction(state, order(id, 1), config, T0).state;
      expect(state).toEqual({ product: null, appliedEventIds: ['b:PROD_0001', 'c:PROD_0001'] });
    });
  });

  it('ignores an eventId already applied: no outputs at all', () => {
    const first = applyOrderDeduction(stateWith({ inventory: 10 }), order('o-1', 2), CONFIG, T0);
    const again = applyOrderDeduction(first.state, order('o-1', 2), CONFIG, T0 + 1);
    expect(again.outputs).toEqual([]);
    expect(again.state).toBe(first.state);
  });

  it('a duplicate of a rejected line stays rejected even after a restock', () => {
    const rejected = applyOrderDeduction(stateWith({ inventory: 1 }), order('o-1', 2), CONFIG, T0);
    const restocked = { ...rejected.state!, product: { ...rejected.state!.product, inventory: 100 } };
    expect(applyOrderDeduction(restocked, order('o-1', 2), CONFIG, T0).outputs).toEqual([]);
  });

  it('changeReason states the applied quantity (F-FL-6)', () => {
    const r = applyOrderDeduction(stateWith({ inventory: 10 }), order('o-7', 4), CONFIG, T0);
    const ev = r.outputs.find((o) => o.kind === 'inventory-event');
    expect(ev?.kind === 'inventory-event' && ev.event).toMatchObject({
      changeReason: 'Reserved 4 units for order o-7',
      eventId: 'o-7:PROD_0001',
      previousPrice: 1899.99,
      currentPrice: 1899.99,
    });
  });

  it('outputs match the contracts; statuses carry quantity and remaining stock', () => {
    for (const q of [1, 10, 11]) {
      const r = applyOrderDeduction(stateWith({ inventory: 10 }), order(`o-${q}`, q), CONFIG, T0);
      for (const o of r.outputs) {
        if (o.kind === 'inventory-event') InventoryEventSchema.parse(o.event);
        if (o.kind === 'order-status') expect(OrderItemStatusSchema.parse(o.status).quantity).toBe(q);
      }
    }
  });

  it('bounds the remembered eventIds to the dedup window, oldest dropped first', () => {
    const config = { ...CONFIG, dedupWindowEvents: 3 };
    let state = stateWith({ inventory: 100 });
    for (const id of ['a', 'b', 'c', 'd'])
      state = applyOrderDeduction(state, order(id, 1), config, T0).state!;
    expect(state.appliedEventIds).toEqual(['b:PROD_0001', 'c:PROD_0001', 'd:PROD_0001']);
  });

  it('every order (reserved or rejected) re-arms the stale timer', () => {
    const state = { ...stateWith({ inventory: 1 }), staleDeadlineMs: null };
    const r = applyOrderDeduction(state, order('o-1', 5), CONFIG, T0 + 500);
    expect(r.state?.staleDeadlineMs).toBe(T0 + 500 + CONFIG.staleAfterMs);
  });
});

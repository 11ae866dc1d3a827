import { OrderItemEventSchema } from '@kartshoppe/contracts';
import type { CapturedChange } from './captured-change';
import { COMMIT_TIME_MS, change, orderItemRow, orderRow, tx } from './mapping.fixtures';
import { orderItemEvent } from './order-event.mapping';

describe('orderItemEvent', () => {
  it('an INSERT of a cdc-mode order line becomes one OrderItemEvent (eventId orderId:productId, commit time)', () => {
    const c = change();
    const result = orderItemEvent(c, tx([c]));
    expect(result).toEqual({
      ok: true,
      value: {
        eventId: 'ORD-1:PROD_0001',
        orderId: 'ORD-1',
        productId: 'PROD_0001',
        quantity: 2,
        timestamp: COMMIT_TIME_MS,
        source: 'cdc',
      },
    });
    expect(OrderItemEventSchema.safeParse(result && result.ok && result.value).success).toBe(true);
  });

  it('F-C-1: a line of a direct-mode order never becomes an order event (the API published it)', () => {
    const c = change({ after: orderItemRow({ publish_mode: 'direct' }) });
    expect(orderItemEvent(c, tx([c]))).toBeNull();
  });

  const noEvent: [string, Partial<CapturedChange>][] = [
    [
      'an UPDATE of a cdc line (status change)',
      { op: 'update', before: orderItemRow(), after: orderItemRow({ status: 'RESERVED' }) },
    ],
    ['a DELETE of a cdc line', { op: 'delete', before: orderItemRow(), after: null }],
    ['an INSERT into orders', { table: 'orders', after: orderRow(), primaryKey: ['order_id'] }],
    ['an INSERT into order_items of another schema', { schema: 'archive' }],
    ['an INSERT into another table with the same columns', { table: 'order_items_copy' }],
  ];
  it.each(noEvent)('%s makes no order event', (_what, overrides) => {
    const c = change(overrides);
    expect(orderItemEvent(c, tx([c]))).toBeNull();
  });

  it.each([
    ['quantity 0', { quantity: 0 }, /quantity/],
    ['a negative quantity', { quantity: -1 }, /quantity/],
    ['a fractional quantity', { quantity: 1.5 }, /quantity/],
    ['a quantity above the line maximum', { quantity: 1001 }, /quantity/],
    ['a non-numeric quantity', { quantity: 'two' }, /quantity/],
    ['a null quantity', { quantity: null }, /quantity/],
    ['a missing product id', { product_id: null }, /productId/],
    ['an empty order id', { order_id: '' }, /orderId/],
    ['a null publish mode', { publish_mode: null }, /publish_mode/],
    ['an unknown publish mode', { publish_mode: 'both' }, /publish_mode/],
  ])('%s cannot be mapped (dead letter, not a crash)', (_what, row, error) => {
    const c = change({ after: orderItemRow(row) });
    const result = orderItemEvent(c, tx([c]));
    expect(result).toMatchObject({ ok: false });
    expect(result && !result.ok && result.error).toMatch(error);
  });

  it('accepts a quantity sent as a digit string (e.g. a BIGINT column)', () => {
    const c = change({ after: orderItemRow({ quantity: '7' }) });
    expect(orderItemEvent(c, tx([c]))).toMatchObject({ ok: true, value: { quantity: 7 } });
  });
});

import { ORDER_STATUSES, type OrderLineStatus, type OrderStatus } from '@kartshoppe/contracts';
import {
  IllegalOrderTransitionError,
  applyLineVerdict,
  deriveOrderStatus,
  transitionOrder,
} from './order-status.rules';

describe('order status rules', () => {
  it.each<[OrderLineStatus[], OrderStatus]>([
    [[], 'PENDING'],
    [['PENDING'], 'PENDING'],
    [['RESERVED', 'PENDING'], 'PENDING'],
    [['REJECTED', 'PENDING'], 'PENDING'],
    [['RESERVED'], 'CONFIRMED'],
    [['RESERVED', 'RESERVED', 'RESERVED'], 'CONFIRMED'],
    [['REJECTED'], 'REJECTED'],
    [['REJECTED', 'REJECTED'], 'REJECTED'],
    [['RESERVED', 'REJECTED'], 'PARTIALLY_CONFIRMED'],
    [['REJECTED', 'RESERVED', 'RESERVED'], 'PARTIALLY_CONFIRMED'],
  ])('lines %j → %s', (lines, status) => expect(deriveOrderStatus(lines)).toBe(status));

  const legal: [OrderStatus, OrderStatus][] = [
    ['PENDING', 'PENDING'],
    ['PENDING', 'CONFIRMED'],
    ['PENDING', 'PARTIALLY_CONFIRMED'],
    ['PENDING', 'REJECTED'],
    ['CONFIRMED', 'CONFIRMED'],
    ['PARTIALLY_CONFIRMED', 'PARTIALLY_CONFIRMED'],
    ['REJECTED', 'REJECTED'],
  ];
  const all = ORDER_STATUSES.flatMap((from) =>
    ORDER_STATUSES.map((to) => [from, to] as [OrderStatus, OrderStatus]),
  );

  it.each(all)('%s -> %s is legal exactly when listed', (from, to) => {
    const isLegal = legal.some(([f, t]) => f === from && t === to);
    if (isLegal) expect(transitionOrder(from, to)).toBe(to);
    else expect(() => transitionOrder(from, to)).toThrow(IllegalOrderTransitionError);
  });

  it.each<[OrderLineStatus, 'RESERVED' | 'REJECTED', OrderLineStatus]>([
    ['PENDING', 'RESERVED', 'RESERVED'],
    ['PENDING', 'REJECTED', 'REJECTED'],
    ['RESERVED', 'REJECTED', 'RESERVED'],
    ['RESERVED', 'RESERVED', 'RESERVED'],
    ['REJECTED', 'RESERVED', 'REJECTED'],
  ])('line %s + verdict %s → %s (decided once)', (cur, v, out) => expect(applyLineVerdict(cur, v)).toBe(out));
});

import type { OrderLineStatus, OrderStatus } from '@kartshoppe/contracts';

/**
 * An order's status is derived from its lines' statuses (PENDING until every line is decided), and an
 * order moves only along this table; anything else is a bug and throws (STYLE §3).
 */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  PENDING: ['PENDING', 'CONFIRMED', 'PARTIALLY_CONFIRMED', 'REJECTED'],
  CONFIRMED: ['CONFIRMED'],
  PARTIALLY_CONFIRMED: ['PARTIALLY_CONFIRMED'],
  REJECTED: ['REJECTED'],
};

export class IllegalOrderTransitionError extends Error {
  constructor(
    readonly from: OrderStatus,
    readonly to: OrderStatus,
  ) {
    super(`illegal order status transition ${from} -> ${to}`);
    this.name = 'IllegalOrderTransitionError';
  }
}

export function deriveOrderStatus(lines: readonly OrderLineStatus[]): OrderStatus {
  if (lines.length === 0 || lines.some((s) => s === 'PENDING')) return 'PENDING';
  const reserved = lines.filter((s) => s === 'RESERVED').length;
  if (reserved === lines.length) return 'CONFIRMED';
  if (reserved === 0) return 'REJECTED';
  return 'PARTIALLY_CONFIRMED';
}

export function transitionOrder(from: OrderStatus, to: OrderStatus): OrderStatus {
  if (!ORDER_TRANSITIONS[from].includes(to)) throw new IllegalOrderTransitionError(from, to);
  return to;
}

/** A line is decided once: a second verdict for the same line (redelivery) is ignored. */
export function applyLineVerdict(
  current: OrderLineStatus,
  verdict: 'RESERVED' | 'REJECTED',
): OrderLineStatus {
  return current === 'PENDING' ? verdict : current;
}

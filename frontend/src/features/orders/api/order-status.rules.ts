/** How an order's and a line's status read on the page. */
import type { Order, OrderLine } from '@kartshoppe/contracts';

export interface StatusView {
  tone: 'pending' | 'ok' | 'partial' | 'bad';
  title: string;
  detail: string;
}

export function orderStatusView(order: Order): StatusView {
  const rejected = order.items.filter((l) => l.status === 'REJECTED').length;
  const via = order.publishMode === 'cdc' ? 'the CDC worker' : 'the API';
  switch (order.status) {
    case 'PENDING':
      return {
        tone: 'pending',
        title: 'Order received — reserving stock…',
        detail:
          order.published || order.publishMode === 'cdc'
            ? `Published via ${via}; waiting for the inventory processor.`
            : 'Saved; waiting for Kafka to accept it (it is retried automatically, nothing is lost).',
      };
    case 'CONFIRMED':
      return { tone: 'ok', title: 'Order confirmed', detail: 'Every item was reserved.' };
    case 'PARTIALLY_CONFIRMED':
      return {
        tone: 'partial',
        title: 'Order partially confirmed',
        detail: `${rejected} of ${order.items.length} items could not be reserved.`,
      };
    case 'REJECTED':
      return {
        tone: 'bad',
        title: 'Order rejected',
        detail: 'No item could be reserved; nothing will be charged.',
      };
    default: {
      const exhaustive: never = order.status;
      return exhaustive;
    }
  }
}

export function lineStatusLabel(line: OrderLine): string {
  if (line.status === 'PENDING') return 'Pending';
  if (line.status === 'RESERVED') return 'Reserved';
  if (line.reason === 'INSUFFICIENT_STOCK') return 'Rejected: not enough stock';
  if (line.reason === 'UNKNOWN_PRODUCT') return 'Rejected: unknown product';
  return 'Rejected';
}

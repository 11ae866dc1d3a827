import { orderItemEventId, type OrderItemEvent, type Product } from '@kartshoppe/contracts';
import { orderTotals, toCents, type OrderTotals } from './order-totals.rules';

export interface CartEntry {
  productId: string;
  quantity: number;
}

export interface CheckoutLine {
  productId: string;
  productName: string;
  unitPriceCents: number;
  quantity: number;
  lineTotalCents: number;
}

export type CheckoutDecision =
  | { ok: true; lines: CheckoutLine[]; totals: OrderTotals }
  | { ok: false; reason: 'EMPTY_CART' }
  | { ok: false; reason: 'UNKNOWN_PRODUCTS'; productIds: string[] };

/**
 * Prices a cart from the read model at checkout time (never from the client, F-API-3). A line whose
 * product the read model does not know is refused by name; stock is NOT checked here — the processor
 * is the one place that decides reservations (it rejects what it cannot fill), so two API instances or
 * a stale read model can never oversell (F-FL-1).
 */
export function decideCheckout(
  cart: readonly CartEntry[],
  lookup: (productId: string) => Product | undefined,
): CheckoutDecision {
  if (cart.length === 0) return { ok: false, reason: 'EMPTY_CART' };
  const unknown = cart.filter((c) => !lookup(c.productId)).map((c) => c.productId);
  if (unknown.length > 0) return { ok: false, reason: 'UNKNOWN_PRODUCTS', productIds: unknown };
  const priced = [...cart]
    .sort((a, b) => a.productId.localeCompare(b.productId))
    .map((c) => {
      const p = lookup(c.productId)!;
      return {
        productId: c.productId,
        productName: p.name,
        unitPriceCents: toCents(p.price),
        quantity: c.quantity,
      };
    });
  const totals = orderTotals(priced);
  return {
    ok: true,
    lines: priced.map((l, i) => ({ ...l, lineTotalCents: totals.lineTotalsCents[i] })),
    totals,
  };
}

/** One `order-events` record per line; the eventId is stable so a republish is applied once. */
export function orderItemEvents(
  orderId: string,
  lines: readonly { productId: string; quantity: number }[],
  nowMs: number,
): OrderItemEvent[] {
  return lines.map((l) => ({
    eventId: orderItemEventId(orderId, l.productId),
    orderId,
    productId: l.productId,
    quantity: l.quantity,
    timestamp: nowMs,
    source: 'api',
  }));
}

import type { Cart, Product } from '@kartshoppe/contracts';
import { fromCents, toCents } from '../orders/order-totals.rules';

/**
 * The cart as the storefront shows it: names and prices from the read model now (the checkout prices
 * the same way). A line whose product the read model does not know (yet) shows its id and price 0.
 */
export function cartView(
  sessionId: string,
  lines: readonly { productId: string; quantity: number; updatedAtMs: number }[],
  lookup: (productId: string) => Product | undefined,
  nowMs: number,
): Cart {
  let totalCents = 0;
  let itemCount = 0;
  const items = lines.map((l) => {
    const p = lookup(l.productId);
    const priceCents = p ? toCents(p.price) : 0;
    totalCents += priceCents * l.quantity;
    itemCount += l.quantity;
    return {
      productId: l.productId,
      productName: p?.name ?? l.productId,
      price: fromCents(priceCents),
      quantity: l.quantity,
      imageUrl: p?.imageUrl ?? '',
      subtotal: fromCents(priceCents * l.quantity),
    };
  });
  const updatedAt = lines.reduce((m, l) => Math.max(m, l.updatedAtMs), 0) || nowMs;
  return { sessionId, items, totalAmount: fromCents(totalCents), itemCount, updatedAt };
}

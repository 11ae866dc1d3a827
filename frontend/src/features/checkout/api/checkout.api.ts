/** Places an order. A failure is thrown as the server's ErrorResponse and shown; never a fake success (F-FE-1). */
import type { CheckoutRequest, Order } from '@kartshoppe/contracts';
import { api } from '../../../lib/api-client';
import { cacheKeys } from '../../../lib/cache-keys';
import { defaultQueryCache } from '../../../lib/query-cache';

export async function placeOrder(request: CheckoutRequest, cache = defaultQueryCache): Promise<Order> {
  const order = await api.post<Order>('/api/ecommerce/checkout', request);
  cache.setData(cacheKeys.order(order.orderId), order);
  // The server emptied the cart in the same transaction; drop the cached one so it is fetched again.
  cache.remove(cacheKeys.cart);
  return order;
}

/** One key per checkout form: a retried submit (lost response, double click) cannot create a second order. */
export function newIdempotencyKey(): string {
  const c = globalThis.crypto as Crypto | undefined;
  if (c?.randomUUID) return c.randomUUID();
  return `ck-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

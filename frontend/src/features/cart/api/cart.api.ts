/**
 * Cart calls. Every change goes to the server and the server's answer replaces the cached cart, so a
 * removed line is really gone at checkout (the original removed it only in the browser: F-C-4).
 */
import type { Cart } from '@kartshoppe/contracts';
import { api } from '../../../lib/api-client';
import { cacheKeys } from '../../../lib/cache-keys';
import { getSessionId, getUserId } from '../../../lib/session';
import { defaultQueryCache, useQuery, type QueryCache } from '../../../lib/query-cache';

const base = (sessionId: string) => `/api/ecommerce/cart/${encodeURIComponent(sessionId)}`;

export function emptyCart(sessionId: string): Cart {
  return { sessionId, items: [], totalAmount: 0, itemCount: 0, updatedAt: 0 };
}

export function fetchCart(sessionId = getSessionId()): Promise<Cart> {
  return api.get<Cart>(base(sessionId));
}

export function useCart() {
  return useQuery<Cart>(cacheKeys.cart, () => fetchCart());
}

async function write(
  cache: QueryCache,
  request: Promise<Cart | undefined>,
  sessionId: string,
): Promise<Cart> {
  const cart = (await request) ?? emptyCart(sessionId);
  return cache.setData<Cart>(cacheKeys.cart, cart);
}

export function setLineQuantity(
  productId: string,
  quantity: number,
  cache = defaultQueryCache,
  sessionId = getSessionId(),
) {
  if (quantity <= 0) return removeLine(productId, cache, sessionId);
  return write(
    cache,
    api.post<Cart>(`${base(sessionId)}/add`, { productId, quantity, userId: getUserId() }),
    sessionId,
  );
}

export function updateLine(
  productId: string,
  quantity: number,
  cache = defaultQueryCache,
  sessionId = getSessionId(),
) {
  return write(
    cache,
    api.put<Cart>(`${base(sessionId)}/items/${encodeURIComponent(productId)}`, { quantity }),
    sessionId,
  );
}

export function removeLine(productId: string, cache = defaultQueryCache, sessionId = getSessionId()) {
  return write(
    cache,
    api.delete<Cart>(`${base(sessionId)}/items/${encodeURIComponent(productId)}`),
    sessionId,
  );
}

export function clearCart(cache = defaultQueryCache, sessionId = getSessionId()) {
  return write(cache, api.delete<Cart>(base(sessionId)), sessionId);
}

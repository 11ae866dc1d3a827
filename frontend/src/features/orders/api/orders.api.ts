/**
 * An order and its status. ORDER_UPDATE pushes write the same cache entry; while the order is PENDING the
 * page also polls every 2 s, so it reaches its final status even if the socket is down.
 */
import type { Order } from '@kartshoppe/contracts';
import { api } from '../../../lib/api-client';
import { cacheKeys } from '../../../lib/cache-keys';
import { useCacheEntry, useQuery } from '../../../lib/query-cache';

export const PENDING_POLL_MS = 2000;

export function fetchOrder(orderId: string): Promise<Order> {
  return api.get<Order>(`/api/ecommerce/orders/${encodeURIComponent(orderId)}`);
}

export function isFinal(order: Order | undefined): boolean {
  return order !== undefined && order.status !== 'PENDING';
}

export function useOrder(orderId: string) {
  const key = cacheKeys.order(orderId);
  const current = useCacheEntry<Order>(key).data;
  return useQuery<Order>(key, () => fetchOrder(orderId), {
    refetchIntervalMs: isFinal(current) ? undefined : PENDING_POLL_MS,
  });
}

/** This session's orders, newest first (GET /api/ecommerce/orders?sessionId=). */
export function fetchSessionOrders(sessionId: string): Promise<Order[]> {
  return api.get<Order[]>('/api/ecommerce/orders', { sessionId });
}

export function useSessionOrders(sessionId: string) {
  return useQuery<Order[]>(`orders-of:${sessionId}`, () => fetchSessionOrders(sessionId), {
    refetchIntervalMs: PENDING_POLL_MS,
  });
}

/** Recent alerts from the API, then live INVENTORY_ALERT pushes into the same cache entry. */
import type { AlertEvent } from '@kartshoppe/contracts';
import { api } from '../../../lib/api-client';
import { cacheKeys } from '../../../lib/cache-keys';
import { useQuery } from '../../../lib/query-cache';

export async function fetchAlerts(): Promise<AlertEvent[]> {
  const body = await api.get<AlertEvent[] | { alerts: AlertEvent[] }>('/api/ecommerce/alerts');
  const list = Array.isArray(body) ? body : body.alerts;
  return [...list].sort((a, b) => b.timestamp - a.timestamp);
}

export function useAlerts() {
  return useQuery<AlertEvent[]>(cacheKeys.alerts, fetchAlerts);
}

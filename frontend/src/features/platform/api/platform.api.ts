/** Platform status (replaces the Flink UI): every component, refreshed every 2 s. */
import type { PlatformStatus } from '@kartshoppe/contracts';
import { api } from '../../../lib/api-client';
import { useQuery } from '../../../lib/query-cache';

export const PLATFORM_REFRESH_MS = 2000;

export function fetchPlatformStatus(): Promise<PlatformStatus> {
  return api.get<PlatformStatus>('/api/platform/status');
}

export function usePlatformStatus() {
  return useQuery<PlatformStatus>('platform-status', fetchPlatformStatus, {
    refetchIntervalMs: PLATFORM_REFRESH_MS,
  });
}

/**
 * A small keyed cache shared by REST queries and the live socket: a REST fetch and a WebSocket push
 * write the same entry, so every view of a product, cart or order shows one truth (STYLE §14). Kept
 * tiny on purpose instead of pulling in a query library: a handful of keys, no pagination.
 */
import { createContext, useCallback, useContext, useEffect, useSyncExternalStore } from 'react';

export interface QueryState<T> {
  data?: T;
  error?: unknown;
  loading: boolean;
  updatedAtMs?: number;
}

type Listener = () => void;
const IDLE: QueryState<never> = Object.freeze({ loading: false });

export class QueryCache {
  private readonly entries = new Map<string, QueryState<unknown>>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly inflight = new Map<string, Promise<unknown>>();

  constructor(private readonly nowMs: () => number = Date.now) {}

  get<T>(key: string): QueryState<T> {
    return (this.entries.get(key) as QueryState<T> | undefined) ?? IDLE;
  }

  peek<T>(key: string): T | undefined {
    return this.get<T>(key).data;
  }

  /** Writes data (or derives it from the previous data); clears any error. */
  setData<T>(key: string, next: T | ((prev: T | undefined) => T)): T {
    const prev = this.get<T>(key);
    const data = typeof next === 'function' ? (next as (p: T | undefined) => T)(prev.data) : next;
    if (data === prev.data && !prev.error) return data;
    this.write(key, { data, loading: prev.loading, updatedAtMs: this.nowMs() });
    return data;
  }

  /** Runs `fetcher` once per key at a time; the result lands in the cache, an error is kept beside the data. */
  fetch<T>(key: string, fetcher: () => Promise<T>): Promise<T> {
    const running = this.inflight.get(key) as Promise<T> | undefined;
    if (running) return running;
    this.write(key, { ...this.get(key), loading: true });
    const promise = fetcher().then(
      (data) => {
        this.inflight.delete(key);
        this.write(key, { data, loading: false, updatedAtMs: this.nowMs() });
        return data;
      },
      (error: unknown) => {
        this.inflight.delete(key);
        this.write(key, { ...this.get(key), error, loading: false });
        throw error;
      },
    );
    this.inflight.set(key, promise);
    return promise;
  }

  remove(key: string): void {
    this.entries.delete(key);
    this.emit(key);
  }

  subscribe(key: string, listener: Listener): () => void {
    let set = this.listeners.get(key);
    if (!set) this.listeners.set(key, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  private write(key: string, state: QueryState<unknown>): void {
    this.entries.set(key, state);
    this.emit(key);
  }

  private emit(key: string): void {
    for (const l of [...(this.listeners.get(key) ?? [])]) l();
  }
}

export const defaultQueryCache = new QueryCache();
export const QueryCacheContext = createContext<QueryCache>(defaultQueryCache);

export function useQueryCache(): QueryCache {
  return useContext(QueryCacheContext);
}

/** Subscribes to one cache entry without fetching (the live socket fills it). */
export function useCacheEntry<T>(key: string): QueryState<T> {
  const cache = useQueryCache();
  const subscribe = useCallback((l: Listener) => cache.subscribe(key, l), [cache, key]);
  return useSyncExternalStore(
    subscribe,
    () => cache.get<T>(key),
    () => cache.get<T>(key),
  );
}

export interface UseQueryOptions {
  /** Refetch on this interval while mounted (platform page, pending orders). */
  refetchIntervalMs?: number;
  /** Skip fetching (e.g. an order that is already final). */
  enabled?: boolean;
}

export interface UseQueryResult<T> extends QueryState<T> {
  refetch: () => Promise<T | undefined>;
}

/** Fetches `key` when it has no data yet (and on an interval if asked); re-renders on every write. */
export function useQuery<T>(
  key: string,
  fetcher: () => Promise<T>,
  options: UseQueryOptions = {},
): UseQueryResult<T> {
  const cache = useQueryCache();
  const state = useCacheEntry<T>(key);
  const { refetchIntervalMs, enabled = true } = options;
  const refetch = useCallback(() => cache.fetch(key, fetcher).catch(() => undefined), [cache, key, fetcher]);

  useEffect(() => {
    if (!enabled) return;
    if (cache.get(key).data === undefined) void refetch();
    if (!refetchIntervalMs) return;
    const timer = setInterval(() => void refetch(), refetchIntervalMs);
    return () => clearInterval(timer);
    // `fetcher` is left out on purpose: a new closure each render must not restart polling.
  }, [cache, key, enabled, refetchIntervalMs]);

  return { ...state, refetch };
}

/** Catalog queries. The cache entry is shared with the live socket, which keeps it current. */
import { useEffect, useState } from 'react';
import type { InventoryStateResponse, Product } from '@kartshoppe/contracts';
import { api } from '../../../lib/api-client';
import { cacheKeys } from '../../../lib/cache-keys';
import { mergeProduct } from '../../../lib/catalog-merge';
import { useQuery, useQueryCache } from '../../../lib/query-cache';

export async function fetchCatalog(): Promise<Product[]> {
  const state = await api.get<InventoryStateResponse>('/api/ecommerce/inventory/state');
  return state.products;
}

export function fetchProduct(productId: string): Promise<Product> {
  return api.get<Product>(`/api/ecommerce/product/${encodeURIComponent(productId)}`);
}

export function useCatalog() {
  return useQuery<Product[]>(cacheKeys.catalog, fetchCatalog);
}

/**
 * One product: from the catalog cache when present (so live updates show), else fetched by id and merged
 * into the catalog (the original showed a "Loading Product…" placeholder forever).
 */
export function useProduct(productId: string): { product?: Product; error?: unknown; loading: boolean } {
  const cache = useQueryCache();
  const catalog = useCatalog();
  const product = catalog.data?.find((p) => p.productId === productId);
  const [error, setError] = useState<unknown>();
  const needFetch = !product && !catalog.loading;

  useEffect(() => {
    if (!needFetch) return;
    let cancelled = false;
    fetchProduct(productId).then(
      (p) => !cancelled && cache.setData<Product[]>(cacheKeys.catalog, (prev) => mergeProduct(prev, p)),
      (e: unknown) => !cancelled && setError(e),
    );
    return () => {
      cancelled = true;
    };
  }, [cache, productId, needFetch]);

  return { product, error: product ? undefined : error, loading: !product && !error };
}

import type { InventoryEvent, Product } from '@kartshoppe/contracts';

/**
 * How the read model merges its two sources (DESIGN §2.3). Both carry the processor's per-product
 * `version`, so the order in which the two topics are read no longer matters (the original's F-RM-2):
 *  - a full product replaces the entry only when its version is newer (or the entry is unknown);
 *  - a partial InventoryEvent merges inventory AND price (every event carries both, F-RM-1) only for a
 *    known product and a newer version; for an unknown product it is dropped — never a half product.
 * A record without a version (older producers) counts as version 0 for products and always applies
 * to an unversioned entry.
 */
export type MergeOutcome =
  | { kind: 'applied'; product: Product }
  | { kind: 'stale'; currentVersion: number }
  | { kind: 'unknown-product' };

const versionOf = (p: { version?: number }) => p.version ?? -1;

export function mergeFullProduct(current: Product | undefined, incoming: Product): MergeOutcome {
  if (current && versionOf(incoming) >= 0 && versionOf(incoming) <= versionOf(current)) {
    return { kind: 'stale', currentVersion: versionOf(current) };
  }
  return { kind: 'applied', product: incoming };
}

export function mergeInventoryEvent(current: Product | undefined, event: InventoryEvent): MergeOutcome {
  if (!current) return { kind: 'unknown-product' };
  if (event.version <= versionOf(current)) return { kind: 'stale', currentVersion: versionOf(current) };
  return {
    kind: 'applied',
    product: {
      ...current,
      inventory: event.currentInventory,
      price: event.currentPrice,
      version: event.version,
      updatedAt: event.timestamp,
    },
  };
}

/** Catalog queries: search matches name, description or any tag (the original dropped tag-only hits, F-API-7). */
export interface ProductQuery {
  category?: string;
  search?: string;
  limit: number;
}

export function queryProducts(products: Iterable<Product>, q: ProductQuery): Product[] {
  const needle = q.search?.trim().toLowerCase();
  const category = q.category?.trim().toLowerCase();
  const out: Product[] = [];
  for (const p of products) {
    if (category && p.category.toLowerCase() !== category) continue;
    if (
      needle &&
      !p.name.toLowerCase().includes(needle) &&
      !p.description.toLowerCase().includes(needle) &&
      !p.tags.some((t) => t.toLowerCase().includes(needle))
    ) {
      continue;
    }
    out.push(p);
  }
  // A stable order (the original returned hash-map order).
  out.sort((a, b) => a.productId.localeCompare(b.productId));
  return out.slice(0, q.limit);
}

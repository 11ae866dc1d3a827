/** Pure catalog rules: search/category filtering and the stock badge. */
import type { Product } from '@kartshoppe/contracts';

/** Same threshold as the processor's LOW_STOCK alert (0 < inventory <= 10; DESIGN §5). */
export const LOW_STOCK_THRESHOLD = 10;

export type StockLevel =
  { kind: 'out'; label: string } | { kind: 'low'; label: string } | { kind: 'in'; label: string };

export function stockLevel(inventory: number): StockLevel {
  if (inventory <= 0) return { kind: 'out', label: 'Out of stock' };
  if (inventory <= LOW_STOCK_THRESHOLD) return { kind: 'low', label: `Only ${inventory} left!` };
  return { kind: 'in', label: `${inventory} in stock` };
}

export interface CatalogFilter {
  category?: string;
  search?: string;
}

/** Case-insensitive search over name, description, brand and tags (as the original), then category. */
export function filterProducts(products: readonly Product[], filter: CatalogFilter): Product[] {
  const q = filter.search?.trim().toLowerCase() ?? '';
  return products.filter((p) => {
    if (filter.category && p.category !== filter.category) return false;
    if (!q) return true;
    return (
      p.name.toLowerCase().includes(q) ||
      p.description.toLowerCase().includes(q) ||
      p.brand.toLowerCase().includes(q) ||
      p.tags.some((t) => t.toLowerCase().includes(q))
    );
  });
}

/** Categories present in the catalog with their product counts, alphabetical. */
export function categoryCounts(products: readonly Product[]): Array<{ category: string; count: number }> {
  const counts = new Map<string, number>();
  for (const p of products) counts.set(p.category, (counts.get(p.category) ?? 0) + 1);
  return [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([category, count]) => ({ category, count }));
}

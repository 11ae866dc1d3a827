/** The shop: category filter, search (name/description/brand/tags), live product grid. */
import { useMemo, useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { Product } from '@kartshoppe/contracts';
import { ErrorBox } from '../../../components/error-box';
import { useCatalog } from '../api/catalog.api';
import { categoryCounts, filterProducts } from '../api/catalog.rules';
import { EmptyCatalog } from './empty-catalog';
import { ProductCard } from './product-card';

export function ProductsPage({ renderActions }: { renderActions?: (product: Product) => ReactNode }) {
  const catalog = useCatalog();
  const [params, setParams] = useSearchParams();
  const category = params.get('category') ?? '';
  const search = params.get('q') ?? '';
  const [searchText, setSearchText] = useState(search);
  const products = useMemo(() => catalog.data ?? [], [catalog.data]);
  const categories = useMemo(() => categoryCounts(products), [products]);
  const shown = useMemo(() => filterProducts(products, { category, search }), [products, category, search]);

  const update = (next: { category?: string; q?: string }) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v) p.set(k, v);
      else p.delete(k);
    }
    setParams(p, { replace: true });
  };

  if (catalog.error && !catalog.data) {
    return (
      <section>
        <ErrorBox error={catalog.error} title="Could not load the catalog" />
        <button type="button" onClick={() => void catalog.refetch()}>
          Retry
        </button>
      </section>
    );
  }
  if (!catalog.data) return <p className="muted">Loading the catalog…</p>;
  if (products.length === 0) return <EmptyCatalog onRefresh={() => void catalog.refetch()} />;

  return (
    <section>
      <form
        className="search"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          update({ q: searchText.trim() });
        }}
      >
        <input
          type="search"
          aria-label="Search products"
          placeholder="Search name, description, brand, tags"
          value={searchText}
          onChange={(e) => {
            setSearchText(e.target.value);
            if (e.target.value === '') update({ q: '' });
          }}
        />
        <button type="submit">Search</button>
      </form>
      <nav className="chips" aria-label="Categories">
        <button type="button" aria-pressed={!category} onClick={() => update({ category: '' })}>
          All ({products.length})
        </button>
        {categories.map((c) => (
          <button
            key={c.category}
            type="button"
            aria-pressed={category === c.category}
            onClick={() => update({ category: c.category })}
          >
            {c.category} ({c.count})
          </button>
        ))}
      </nav>
      <p className="muted small" data-testid="showing-count">
        Showing {shown.length} of {products.length} products
      </p>
      {shown.length === 0 ? (
        <p className="empty">No product matches this search or category.</p>
      ) : (
        <div className="grid">
          {shown.map((p) => (
            <ProductCard key={p.productId} product={p} actions={renderActions?.(p)} />
          ))}
        </div>
      )}
    </section>
  );
}

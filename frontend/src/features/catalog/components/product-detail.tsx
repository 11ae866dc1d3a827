/** One product: image, details, live stock badge and chart; the cart's add control is slotted in by app/. */
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import type { Product } from '@kartshoppe/contracts';
import { ErrorBox } from '../../../components/error-box';
import { formatMoney } from '../../../lib/money';
import { useProduct } from '../api/catalog.api';
import { ProductImage } from './product-image';
import { StockBadge } from './stock-badge';
import { StockChart } from './stock-chart';

export function ProductDetail({
  productId,
  renderActions,
}: {
  productId: string;
  renderActions?: (p: Product) => ReactNode;
}) {
  const { product, error } = useProduct(productId);
  if (error) return <ErrorBox error={error} title={`Product ${productId} could not be loaded`} />;
  if (!product) return <p className="muted">Loading product {productId}…</p>;
  return (
    <article className="detail" data-testid={`detail-${product.productId}`}>
      <Link to="/products" className="small">
        ← All products
      </Link>
      <div className="detail-grid">
        <ProductImage src={product.imageUrl} name={product.name} category={product.category} />
        <div>
          <h1>{product.name}</h1>
          <p className="muted">
            {product.brand} · {product.category} · ★ {product.rating.toFixed(1)} ({product.reviewCount}{' '}
            reviews)
          </p>
          <p className="price big">{formatMoney(product.price)}</p>
          <StockBadge productId={product.productId} inventory={product.inventory} />
          <p>{product.description}</p>
          {product.tags.length > 0 && (
            <p className="chips">
              {product.tags.map((t) => (
                <span key={t} className="badge">
                  {t}
                </span>
              ))}
            </p>
          )}
          {renderActions?.(product)}
          <p className="muted small">SKU {product.productId}</p>
        </div>
      </div>
      <StockChart productId={product.productId} inventory={product.inventory} />
    </article>
  );
}

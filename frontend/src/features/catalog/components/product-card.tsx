import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import type { Product } from '@kartshoppe/contracts';
import { formatMoney } from '../../../lib/money';
import { ProductImage } from './product-image';
import { StockBadge } from './stock-badge';

export function ProductCard({ product, actions }: { product: Product; actions?: ReactNode }) {
  return (
    <article className="card product-card" data-testid={`product-${product.productId}`}>
      <Link to={`/product/${encodeURIComponent(product.productId)}`} className="product-card-link">
        <ProductImage src={product.imageUrl} name={product.name} category={product.category} />
        <h3>{product.name}</h3>
      </Link>
      <div className="product-meta">
        <span className="badge">{product.category}</span>
        {product.brand && <span className="muted">{product.brand}</span>}
      </div>
      <div className="product-row">
        <strong className="price">{formatMoney(product.price)}</strong>
        <StockBadge productId={product.productId} inventory={product.inventory} />
      </div>
      <div className="muted small">
        ★ {product.rating.toFixed(1)} ({product.reviewCount})
      </div>
      {actions}
    </article>
  );
}

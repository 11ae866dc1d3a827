/** Quantity + "Add to cart"; disabled when out of stock. The server sets the line to existing + n. */
import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { Product } from '@kartshoppe/contracts';
import { errorMessage } from '../../../lib/api-client';
import { useQueryCache } from '../../../lib/query-cache';
import { setLineQuantity, useCart } from '../api/cart.api';
import { lineQuantity, quantityAfterAdd } from '../api/cart.rules';

export function AddToCart({ product, compact = false }: { product: Product; compact?: boolean }) {
  const cache = useQueryCache();
  const cart = useCart().data;
  const [quantity, setQuantity] = useState(1);
  const [state, setState] = useState<{ busy: boolean; message?: string; error?: string }>({ busy: false });
  const inCart = lineQuantity(cart, product.productId);
  const target = quantityAfterAdd(cart, product.productId, quantity, product.inventory);
  const outOfStock = product.inventory <= 0;

  const add = async () => {
    if (target === null) return;
    setState({ busy: true });
    try {
      await setLineQuantity(product.productId, target, cache);
      setState({ busy: false, message: `In cart: ${target}` });
    } catch (e) {
      setState({ busy: false, error: errorMessage(e) });
    }
  };

  return (
    <div className="add-to-cart">
      {!compact && (
        <label>
          Qty{' '}
          <input
            type="number"
            min={1}
            max={Math.max(1, product.inventory)}
            value={quantity}
            aria-label={`Quantity of ${product.name}`}
            data-testid={`qty-${product.productId}`}
            onChange={(e) => setQuantity(Math.max(1, Number(e.target.value) || 1))}
            disabled={outOfStock}
          />
        </label>
      )}
      <button
        type="button"
        className="primary"
        disabled={outOfStock || target === null || state.busy}
        data-testid={`add-${product.productId}`}
        onClick={() => void add()}
      >
        {outOfStock ? 'Out of stock' : state.busy ? 'Adding…' : 'Add to cart'}
      </button>
      {!outOfStock && target === null && inCart > 0 && (
        <span className="muted small">All available stock is in your cart</span>
      )}
      {state.message && (
        <span className="ok small" role="status">
          {state.message} · <Link to="/cart">View cart</Link>
        </span>
      )}
      {state.error && (
        <span className="error small" role="alert">
          {state.error}
        </span>
      )}
    </div>
  );
}

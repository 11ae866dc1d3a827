/**
 * The cart: -/+ and removal go to the server, whose answer replaces the cart (F-C-4). The summary shows
 * the server's rules (tax 8 %, shipping 5.99: no "free shipping" promise the server would not keep, F-API-5).
 */
import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { Cart, CartLine } from '@kartshoppe/contracts';
import { ErrorBox } from '../../../components/error-box';
import { cartTotals, formatMoney } from '../../../lib/money';
import { useQueryCache } from '../../../lib/query-cache';
import { clearCart, removeLine, setLineQuantity, useCart } from '../api/cart.api';
import { clampQuantity } from '../api/cart.rules';

export function TotalsTable({ lines }: { lines: ReadonlyArray<{ price: number; quantity: number }> }) {
  const t = cartTotals(lines);
  return (
    <table className="totals" data-testid="totals">
      <tbody>
        <tr>
          <th>Subtotal ({t.itemCount} items)</th>
          <td>{formatMoney(t.subtotal)}</td>
        </tr>
        <tr>
          <th>Tax (8 %)</th>
          <td>{formatMoney(t.tax)}</td>
        </tr>
        <tr>
          <th>Shipping</th>
          <td>{formatMoney(t.shipping)}</td>
        </tr>
        <tr className="grand">
          <th>Total</th>
          <td data-testid="total">{formatMoney(t.total)}</td>
        </tr>
      </tbody>
    </table>
  );
}

export function CartView({ stockOf }: { stockOf?: (productId: string) => number | undefined }) {
  const cache = useQueryCache();
  const cart = useCart();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<Cart>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  if (cart.error && !cart.data) return <ErrorBox error={cart.error} title="Could not load your cart" />;
  if (!cart.data) return <p className="muted">Loading your cart…</p>;
  const lines = cart.data.items;
  if (lines.length === 0) {
    return (
      <section className="empty" data-testid="cart-empty">
        <h1>Your cart is empty</h1>
        <Link to="/products">Browse products</Link>
      </section>
    );
  }

  const setQty = (line: CartLine, requested: number) =>
    run(() => setLineQuantity(line.productId, clampQuantity(requested, stockOf?.(line.productId)), cache));

  return (
    <section>
      <h1>Your cart</h1>
      {error !== undefined && <ErrorBox error={error} title="The cart was not changed" />}
      <ul className="cart-lines">
        {lines.map((line) => {
          const stock = stockOf?.(line.productId);
          return (
            <li key={line.productId} className="card cart-line" data-testid={`line-${line.productId}`}>
              <div>
                <Link to={`/product/${encodeURIComponent(line.productId)}`}>{line.productName}</Link>
                <div className="muted small">
                  {formatMoney(line.price)} each{stock !== undefined && ` · ${stock} in stock`}
                </div>
              </div>
              <div className="qty">
                <button
                  type="button"
                  aria-label={`One less ${line.productName}`}
                  disabled={busy}
                  onClick={() => void setQty(line, line.quantity - 1)}
                >
                  −
                </button>
                <span data-testid={`line-qty-${line.productId}`}>{line.quantity}</span>
                <button
                  type="button"
                  aria-label={`One more ${line.productName}`}
                  disabled={busy || (stock !== undefined && line.quantity >= stock)}
                  onClick={() => void setQty(line, line.quantity + 1)}
                >
                  +
                </button>
              </div>
              <strong>{formatMoney(line.subtotal)}</strong>
              <button
                type="button"
                className="link"
                disabled={busy}
                onClick={() => void run(() => removeLine(line.productId, cache))}
              >
                Remove
              </button>
            </li>
          );
        })}
      </ul>
      <TotalsTable lines={lines} />
      <div className="actions">
        <button type="button" disabled={busy} onClick={() => void run(() => clearCart(cache))}>
          Clear cart
        </button>
        <Link to="/checkout" className="button primary" data-testid="to-checkout">
          Proceed to checkout
        </Link>
      </div>
    </section>
  );
}

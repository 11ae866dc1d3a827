/**
 * Checkout: shipping address, payment method (no card or CVV is collected: F-SEC-5), the server's totals
 * and the "Use CDC" switch. Errors are shown as the server sent them; the cart is kept (F-FE-1).
 */
import { useState, type ChangeEvent } from 'react';
import { Link } from 'react-router-dom';
import { PAYMENT_METHODS, type Cart, type Order } from '@kartshoppe/contracts';
import { ErrorBox } from '../../../components/error-box';
import { cartTotals, formatMoney } from '../../../lib/money';
import { useQueryCache } from '../../../lib/query-cache';
import { newIdempotencyKey, placeOrder } from '../api/checkout.api';
import {
  EMPTY_CHECKOUT_FORM,
  PAYMENT_LABELS,
  checkoutRequest,
  type CheckoutForm,
  type PaymentMethod,
} from '../api/checkout-form.rules';

interface Props {
  cart: Cart;
  sessionId: string;
  userId: string;
  onPlaced: (order: Order) => void;
}

const FIELDS: Array<{ name: keyof CheckoutForm; label: string; required: boolean; autoComplete: string }> = [
  { name: 'name', label: 'Full name', required: true, autoComplete: 'name' },
  { name: 'street', label: 'Street', required: true, autoComplete: 'street-address' },
  { name: 'city', label: 'City', required: true, autoComplete: 'address-level2' },
  { name: 'state', label: 'State / region', required: false, autoComplete: 'address-level1' },
  { name: 'zipCode', label: 'ZIP / postal code', required: true, autoComplete: 'postal-code' },
];

export function CheckoutPage({ cart, sessionId, userId, onPlaced }: Props) {
  const cache = useQueryCache();
  const [form, setForm] = useState<CheckoutForm>(EMPTY_CHECKOUT_FORM);
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<unknown>();
  const totals = cartTotals(cart.items);

  const field = (name: keyof CheckoutForm) => (e: ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
    setForm((f) => ({
      ...f,
      [name]: e.target.type === 'checkbox' ? (e.target as HTMLInputElement).checked : e.target.value,
    }));

  if (cart.items.length === 0) {
    return (
      <section className="empty">
        <h1>Nothing to check out</h1>
        <Link to="/products">Browse products</Link>
      </section>
    );
  }

  const submit = async () => {
    setSubmitting(true);
    setError(undefined);
    try {
      onPlaced(await placeOrder(checkoutRequest(form, { sessionId, userId, idempotencyKey }), cache));
    } catch (e) {
      setError(e);
      setSubmitting(false);
    }
  };

  return (
    <section className="checkout">
      <h1>Checkout</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <fieldset>
          <legend>Shipping address</legend>
          {FIELDS.map((f) => (
            <label key={f.name}>
              {f.label}
              <input
                name={f.name}
                required={f.required}
                autoComplete={f.autoComplete}
                value={String(form[f.name])}
                onChange={field(f.name)}
              />
            </label>
          ))}
          <label>
            Country
            <select name="country" value={form.country} onChange={field('country')}>
              <option value="USA">USA</option>
              <option value="Canada">Canada</option>
              <option value="UK">UK</option>
            </select>
          </label>
        </fieldset>
        <fieldset>
          <legend>Payment</legend>
          <label>
            Payment method
            <select name="paymentMethod" value={form.paymentMethod} onChange={field('paymentMethod')}>
              {PAYMENT_METHODS.map((m: PaymentMethod) => (
                <option key={m} value={m}>
                  {PAYMENT_LABELS[m]}
                </option>
              ))}
            </select>
          </label>
          <p className="muted small">
            This is a demo: no card details are asked for and no payment is taken.
          </p>
        </fieldset>
        <fieldset>
          <legend>Order summary</legend>
          <ul className="summary-lines">
            {cart.items.map((l) => (
              <li key={l.productId}>
                {l.quantity} × {l.productName} <span>{formatMoney(l.subtotal)}</span>
              </li>
            ))}
          </ul>
          <table className="totals" data-testid="checkout-totals">
            <tbody>
              <tr>
                <th>Subtotal</th>
                <td>{formatMoney(totals.subtotal)}</td>
              </tr>
              <tr>
                <th>Tax (8 %)</th>
                <td>{formatMoney(totals.tax)}</td>
              </tr>
              <tr>
                <th>Shipping</th>
                <td>{formatMoney(totals.shipping)}</td>
              </tr>
              <tr className="grand">
                <th>Total</th>
                <td>{formatMoney(totals.total)}</td>
              </tr>
            </tbody>
          </table>
          <div className="cdc">
            <input id="useCdc" type="checkbox" checked={form.useCdc} onChange={field('useCdc')} />
            <label htmlFor="useCdc">Use CDC</label>
            <p className="muted small">
              Let the CDC worker capture this order from the database log instead of the API publishing it to
              Kafka
            </p>
          </div>
        </fieldset>
        {error !== undefined && <ErrorBox error={error} title="Your order was NOT placed" />}
        <button type="submit" className="primary" disabled={submitting} data-testid="place-order">
          {submitting ? 'Placing order…' : `Place order · ${formatMoney(totals.total)}`}
        </button>
      </form>
    </section>
  );
}

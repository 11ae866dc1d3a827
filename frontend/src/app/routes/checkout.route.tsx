import { useNavigate } from 'react-router-dom';
import { ErrorBox } from '../../components/error-box';
import { useCart } from '../../features/cart/api/cart.api';
import { CheckoutPage } from '../../features/checkout/components/checkout-page';
import { getSessionId, getUserId } from '../../lib/session';

export function Component() {
  const cart = useCart();
  const navigate = useNavigate();
  if (cart.error && !cart.data) return <ErrorBox error={cart.error} title="Could not load your cart" />;
  if (!cart.data) return <p className="muted">Loading your cart…</p>;
  return (
    <CheckoutPage
      cart={cart.data}
      sessionId={getSessionId()}
      userId={getUserId()}
      onPlaced={(order) => navigate(`/orders/${encodeURIComponent(order.orderId)}`)}
    />
  );
}

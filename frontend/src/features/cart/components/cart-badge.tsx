import { Link } from 'react-router-dom';
import { useCart } from '../api/cart.api';

/** Navbar link to the cart with the server cart's item count. */
export function CartBadge() {
  const count = useCart().data?.itemCount ?? 0;
  return (
    <Link to="/cart" className="nav-link" data-testid="cart-link">
      Cart{count > 0 && <span className="count">{count}</span>}
    </Link>
  );
}

/** This session's orders with their live status (the original had no order history at all, F-U-5). */
import { Link } from 'react-router-dom';
import { ErrorBox } from '../../../components/error-box';
import { formatMoney } from '../../../lib/money';
import { useSessionOrders } from '../api/orders.api';

export function OrdersListPage({ sessionId }: { sessionId: string }) {
  const orders = useSessionOrders(sessionId);
  return (
    <section>
      <h1>Your orders</h1>
      {orders.error !== undefined && !orders.data && (
        <ErrorBox error={orders.error} title="Could not load your orders" />
      )}
      {orders.data && orders.data.length === 0 && (
        <p className="empty">
          No orders in this session yet. <Link to="/products">Browse products</Link>
        </p>
      )}
      <ul className="cart-lines" data-testid="orders-list">
        {orders.data?.map((o) => (
          <li key={o.orderId} className="card cart-line">
            <div>
              <Link to={`/orders/${encodeURIComponent(o.orderId)}`}>
                <code>{o.orderId.slice(0, 8)}</code>
              </Link>
              <div className="muted small">
                {new Date(o.createdAt).toLocaleString()} · {o.items.length}{' '}
                {o.items.length === 1 ? 'line' : 'lines'} · via {o.publishMode === 'cdc' ? 'CDC' : 'API'}
              </div>
            </div>
            <strong>{formatMoney(o.totalAmount)}</strong>
            <span className={`badge order-${o.status.toLowerCase()}`}>{o.status}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** An order's live status (PENDING → CONFIRMED / PARTIALLY_CONFIRMED / REJECTED) with per-line status. */
import type { Order } from '@kartshoppe/contracts';
import { formatMoney } from '../../../lib/money';
import { lineStatusLabel, orderStatusView } from '../api/order-status.rules';

export function OrderStatusView({ order }: { order: Order }) {
  const view = orderStatusView(order);
  return (
    <article className="order" data-testid="order" data-status={order.status}>
      <div className={`status-banner tone-${view.tone}`} role="status">
        <strong data-testid="order-status">{order.status}</strong>
        <span>{view.title}</span>
        <small>{view.detail}</small>
      </div>
      <p className="muted small">
        Order <code data-testid="order-id">{order.orderId}</code> ·{' '}
        {new Date(order.createdAt).toLocaleString()} · via {order.publishMode === 'cdc' ? 'CDC' : 'API'}
      </p>
      <table className="lines">
        <thead>
          <tr>
            <th>Item</th>
            <th>Qty</th>
            <th>Total</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          {order.items.map((l) => (
            <tr key={l.productId} data-testid={`order-line-${l.productId}`} data-status={l.status}>
              <td>{l.productName}</td>
              <td>{l.quantity}</td>
              <td>{formatMoney(l.lineTotal)}</td>
              <td className={`line-${l.status.toLowerCase()}`}>{lineStatusLabel(l)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="totals">
        <tbody>
          <tr>
            <th>Subtotal</th>
            <td>{formatMoney(order.subtotal)}</td>
          </tr>
          <tr>
            <th>Tax</th>
            <td>{formatMoney(order.tax)}</td>
          </tr>
          <tr>
            <th>Shipping</th>
            <td>{formatMoney(order.shipping)}</td>
          </tr>
          <tr className="grand">
            <th>Total</th>
            <td>{formatMoney(order.totalAmount)}</td>
          </tr>
        </tbody>
      </table>
    </article>
  );
}

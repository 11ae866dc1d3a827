import { Link } from 'react-router-dom';
import { ErrorBox } from '../../../components/error-box';
import { useOrder } from '../api/orders.api';
import { OrderStatusView } from './order-status-view';

export function OrderPage({ orderId }: { orderId: string }) {
  const order = useOrder(orderId);
  if (order.error && !order.data)
    return <ErrorBox error={order.error} title={`Order ${orderId} could not be loaded`} />;
  if (!order.data) return <p className="muted">Loading order {orderId}…</p>;
  return (
    <section>
      <h1>Your order</h1>
      <OrderStatusView order={order.data} />
      <p>
        <Link to="/products">Continue shopping</Link> · <Link to="/orders">All your orders</Link>
      </p>
    </section>
  );
}

import { useParams } from 'react-router-dom';
import { OrderPage } from '../../features/orders/components/order-page';

export function Component() {
  const { orderId = '' } = useParams();
  return <OrderPage key={orderId} orderId={orderId} />;
}

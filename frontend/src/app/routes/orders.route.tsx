import { OrdersListPage } from '../../features/orders/components/orders-list-page';
import { getSessionId } from '../../lib/session';

export function Component() {
  return <OrdersListPage sessionId={getSessionId()} />;
}

import { CartView } from '../../features/cart/components/cart-view';
import { useCatalog } from '../../features/catalog/api/catalog.api';

export function Component() {
  const catalog = useCatalog().data;
  const stockOf = (id: string) => catalog?.find((p) => p.productId === id)?.inventory;
  return <CartView stockOf={stockOf} />;
}

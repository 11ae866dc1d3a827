import { AddToCart } from '../../features/cart/components/add-to-cart';
import { ProductsPage } from '../../features/catalog/components/products-page';

export function Component() {
  return <ProductsPage renderActions={(p) => <AddToCart product={p} compact />} />;
}

import { useParams } from 'react-router-dom';
import { AddToCart } from '../../features/cart/components/add-to-cart';
import { ProductDetail } from '../../features/catalog/components/product-detail';

export function Component() {
  const { productId = '' } = useParams();
  return (
    <ProductDetail key={productId} productId={productId} renderActions={(p) => <AddToCart product={p} />} />
  );
}

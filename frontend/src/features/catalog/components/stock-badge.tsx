import { stockLevel } from '../api/catalog.rules';

/** Live stock: re-renders whenever the cached product changes (PRODUCT_UPDATE), no refresh needed. */
export function StockBadge({ productId, inventory }: { productId: string; inventory: number }) {
  const level = stockLevel(inventory);
  return (
    <span
      className={`badge stock-${level.kind}`}
      data-testid={`stock-${productId}`}
      data-inventory={inventory}
    >
      {level.label}
    </span>
  );
}

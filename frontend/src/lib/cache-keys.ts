/**
 * The cache entries shared by REST queries and the live socket. Features read them through their own
 * api/ hooks; the socket writes them; so they are named here, once.
 */
export const cacheKeys = {
  /** Product[]: the whole catalog (REST /inventory/state, then PRODUCT_CACHE_SYNC / PRODUCT_UPDATE). */
  catalog: 'catalog',
  /** Cart of this tab's session (REST, then SHOPPING_CART). */
  cart: 'cart',
  /** AlertEvent[] newest first (REST /alerts, then INVENTORY_ALERT). */
  alerts: 'alerts',
  /** Order (REST, then ORDER_UPDATE). */
  order: (orderId: string) => `order:${orderId}`,
  /** StockPoint[]: inventory over time, from live updates only (the product page's chart). */
  stockHistory: (productId: string) => `stock-history:${productId}`,
} as const;

export interface StockPoint {
  tMs: number;
  inventory: number;
}

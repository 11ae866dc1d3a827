/** Pure cart rules: what quantity to ask the server for. The server's cart is the only cart (F-C-4). */
import { MAX_LINE_QUANTITY, type Cart } from '@kartshoppe/contracts';

export function lineQuantity(cart: Cart | undefined, productId: string): number {
  return cart?.items.find((l) => l.productId === productId)?.quantity ?? 0;
}

/**
 * `POST /cart/:sessionId/add` SETS a line's quantity, so "add n" sends existing + n, capped by the stock
 * shown and the contract's line maximum. Returns null when nothing can be added (out of stock, or the
 * line already holds all the stock).
 */
export function quantityAfterAdd(
  cart: Cart | undefined,
  productId: string,
  add: number,
  inventory: number,
): number | null {
  const current = lineQuantity(cart, productId);
  const target = Math.min(current + Math.max(0, Math.floor(add)), inventory, MAX_LINE_QUANTITY);
  return target > current ? target : null;
}

/** The next quantity for a -/+ click or a typed value; 0 means remove. */
export function clampQuantity(requested: number, inventory: number | undefined): number {
  if (!Number.isFinite(requested)) return 0;
  const upper = Math.min(MAX_LINE_QUANTITY, inventory ?? MAX_LINE_QUANTITY);
  return Math.max(0, Math.min(Math.floor(requested), upper));
}

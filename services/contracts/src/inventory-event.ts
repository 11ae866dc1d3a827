import { z } from 'zod';
import { ProductIdSchema } from './product';

export const INVENTORY_EVENT_TYPES = [
  'PRODUCT_ADDED',
  'PRODUCT_UPDATED',
  'INVENTORY_INCREASED',
  'INVENTORY_DECREASED',
  'OUT_OF_STOCK',
  'BACK_IN_STOCK',
  'PRICE_CHANGED',
  'STALE_INVENTORY',
  'ORDER_REJECTED',
] as const;
export type InventoryEventType = (typeof INVENTORY_EVENT_TYPES)[number];

/**
 * One change of one product on `inventory-events` (and `websocket_fanout`). Every event carries the
 * current inventory and price: the original's STALE_INVENTORY had no price and zeroed prices in the
 * storefront (F-RM-1).
 */
export const InventoryEventSchema = z.object({
  productId: ProductIdSchema,
  productName: z.string().min(1),
  eventType: z.enum(INVENTORY_EVENT_TYPES),
  previousInventory: z.number().int().nonnegative(),
  currentInventory: z.number().int().nonnegative(),
  previousPrice: z.number().nonnegative(),
  currentPrice: z.number().nonnegative(),
  changeReason: z.string(),
  timestamp: z.number().int().nonnegative(),
  /** The product's state version after this change (see ProductSchema.version). */
  version: z.number().int().nonnegative(),
  /** The order line that caused it, for deductions and rejections. */
  eventId: z.string().optional(),
});
export type InventoryEvent = z.infer<typeof InventoryEventSchema>;

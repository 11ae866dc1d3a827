import { z } from 'zod';
import { OrderIdSchema } from './order-item-event';
import { ProductIdSchema } from './product';

export const ORDER_ITEM_STATUSES = ['RESERVED', 'REJECTED'] as const;
export type OrderItemStatusValue = (typeof ORDER_ITEM_STATUSES)[number];

export const REJECTION_REASONS = ['INSUFFICIENT_STOCK', 'UNKNOWN_PRODUCT'] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** The processor's verdict on one order line, on `order-status` keyed by orderId. */
export const OrderItemStatusSchema = z.object({
  orderId: OrderIdSchema,
  productId: ProductIdSchema,
  eventId: z.string().min(3),
  status: z.enum(ORDER_ITEM_STATUSES),
  reason: z.enum(REJECTION_REASONS).nullable(),
  quantity: z.number().int().positive(),
  /** Stock left after this decision; null when the product is unknown. */
  remainingInventory: z.number().int().nonnegative().nullable(),
  timestamp: z.number().int().nonnegative(),
});
export type OrderItemStatus = z.infer<typeof OrderItemStatusSchema>;

/** An order's status as the API and storefront show it. */
export const ORDER_STATUSES = ['PENDING', 'CONFIRMED', 'PARTIALLY_CONFIRMED', 'REJECTED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** A line's status before and after the processor decided. */
export const ORDER_LINE_STATUSES = ['PENDING', ...ORDER_ITEM_STATUSES] as const;
export type OrderLineStatus = (typeof ORDER_LINE_STATUSES)[number];

/** How an order's items reach `order-events`: published by the API, or captured from the WAL. */
export const PUBLISH_MODES = ['direct', 'cdc'] as const;
export type PublishMode = (typeof PUBLISH_MODES)[number];

import { z } from 'zod';
import { ProductIdSchema } from './product';

export const ORDER_EVENT_SOURCES = ['api', 'cdc'] as const;
export type OrderEventSource = (typeof ORDER_EVENT_SOURCES)[number];

/** The largest quantity of one product one order may ask for. */
export const MAX_LINE_QUANTITY = 1000;

/**
 * The stable identity of one order line's deduction: the same line published twice (API retry, CDC
 * redelivery, or by both paths) has the same eventId, so the processor applies it once.
 */
export function orderItemEventId(orderId: string, productId: string): string {
  return `${orderId}:${productId}`;
}

export const OrderIdSchema = z.string().min(1).max(64);

/** One record on `order-events`, keyed by productId. */
export const OrderItemEventSchema = z
  .object({
    eventId: z.string().min(3).max(140),
    orderId: OrderIdSchema,
    productId: ProductIdSchema,
    quantity: z.number().int().positive().max(MAX_LINE_QUANTITY),
    timestamp: z.number().int().nonnegative(),
    source: z.enum(ORDER_EVENT_SOURCES),
  })
  .refine((e) => e.eventId === orderItemEventId(e.orderId, e.productId), {
    message: 'eventId must be orderId:productId',
    path: ['eventId'],
  });
export type OrderItemEvent = z.infer<typeof OrderItemEventSchema>;

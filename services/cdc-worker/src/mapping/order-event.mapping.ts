import {
  OrderItemEventSchema,
  describeZodError,
  orderItemEventId,
  type OrderItemEvent,
} from '@kartshoppe/contracts';
import type { CapturedChange, CapturedTransaction } from './captured-change';
import type { Mapped } from './change-envelope.mapping';

export const ORDER_ITEMS_TABLE = { schema: 'public', table: 'order_items' } as const;

/**
 * The `order-events` record a change makes, if any. ONLY an INSERT into `order_items` whose row says
 * `publish_mode = 'cdc'` becomes an order event: lines of `direct` orders were published by the API,
 * and publishing them again would deduct them twice (the original's F-C-1). Updates (status changes)
 * and deletes never deduct. `null` = no event; `{ok:false}` = the row cannot be mapped (dead letter).
 */
export function orderItemEvent(
  change: CapturedChange,
  tx: CapturedTransaction,
): Mapped<OrderItemEvent> | null {
  if (change.op !== 'insert') return null;
  if (change.schema !== ORDER_ITEMS_TABLE.schema || change.table !== ORDER_ITEMS_TABLE.table) return null;
  const row = change.after ?? {};
  const mode = row.publish_mode;
  if (mode === 'direct') return null;
  if (mode !== 'cdc')
    return { ok: false, error: `publish_mode must be 'direct' or 'cdc', got ${JSON.stringify(mode)}` };

  const orderId = row.order_id;
  const productId = row.product_id;
  const event = {
    eventId: orderItemEventId(String(orderId), String(productId)),
    orderId,
    productId,
    quantity: quantityOf(row.quantity),
    // The commit time: when the order became a fact (the API's direct path uses its checkout time).
    timestamp: tx.commitTimeMs,
    source: 'cdc',
  };
  const parsed = OrderItemEventSchema.safeParse(event);
  if (!parsed.success) return { ok: false, error: `order event: ${describeZodError(parsed.error)}` };
  return { ok: true, value: parsed.data };
}

/** INTEGER arrives as a number; a digit string (e.g. a BIGINT column) is accepted too, anything else is left to the schema. */
function quantityOf(value: unknown): unknown {
  if (typeof value === 'string' && /^\d{1,9}$/.test(value)) return Number(value);
  return value;
}

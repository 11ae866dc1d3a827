import type {
  Order,
  OrderLineStatus,
  OrderStatus,
  PublishMode,
  ShippingAddress,
} from '@kartshoppe/contracts';

/** One row of the order query (orders joined with its items as JSON). */
export interface OrderRow {
  order_id: string;
  session_id: string;
  customer_id: string;
  status: OrderStatus;
  publish_mode: PublishMode;
  published: boolean;
  subtotal: string;
  tax: string;
  shipping: string;
  total: string;
  payment_method: Order['paymentMethod'];
  shipping_address: ShippingAddress | null;
  created_ms: string;
  updated_ms: string;
  items: {
    product_id: string;
    product_name: string;
    quantity: number;
    unit_price: string | number;
    line_total: string | number;
    status: OrderLineStatus;
    reason: Order['items'][number]['reason'];
  }[];
}

/** NUMERIC(12,2) arrives as text; Number() of a 2-decimal string is the nearest double, printed back exactly. */
export function toOrder(row: OrderRow): Order {
  return {
    orderId: row.order_id,
    sessionId: row.session_id,
    userId: row.customer_id,
    status: row.status,
    publishMode: row.publish_mode,
    published: row.published,
    items: row.items
      .map((i) => ({
        productId: i.product_id,
        productName: i.product_name,
        unitPrice: Number(i.unit_price),
        quantity: i.quantity,
        lineTotal: Number(i.line_total),
        status: i.status,
        reason: i.reason,
      }))
      .sort((a, b) => a.productId.localeCompare(b.productId)),
    subtotal: Number(row.subtotal),
    tax: Number(row.tax),
    shipping: Number(row.shipping),
    totalAmount: Number(row.total),
    paymentMethod: row.payment_method,
    shippingAddress: row.shipping_address,
    createdAt: Number(row.created_ms),
    updatedAt: Number(row.updated_ms),
  };
}

export const ORDER_SELECT = `
  SELECT o.order_id, o.session_id, o.customer_id, o.status, o.publish_mode, o.published,
         o.subtotal, o.tax, o.shipping, o.total, o.payment_method, o.shipping_address,
         (extract(epoch FROM o.created_at) * 1000)::bigint AS created_ms,
         (extract(epoch FROM o.updated_at) * 1000)::bigint AS updated_ms,
         COALESCE((SELECT json_agg(json_build_object(
             'product_id', i.product_id, 'product_name', i.product_name, 'quantity', i.quantity,
             'unit_price', i.unit_price, 'line_total', i.line_total, 'status', i.status, 'reason', i.reason))
           FROM order_items i WHERE i.order_id = o.order_id), '[]'::json) AS items
    FROM orders o`;

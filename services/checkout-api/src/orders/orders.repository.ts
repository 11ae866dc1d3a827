import { Injectable } from '@nestjs/common';
import type {
  Order,
  OrderItemStatus,
  OrderLineStatus,
  OrderStatus,
  PublishMode,
  ShippingAddress,
} from '@kartshoppe/contracts';
import { Database } from '../db/database';
import type { CheckoutLine } from './checkout.rules';
import { deriveOrderStatus, transitionOrder } from './order-status.rules';
import { centsToDecimal, type OrderTotals } from './order-totals.rules';
import { ORDER_SELECT, toOrder, type OrderRow } from './order.mapper';

export interface NewOrder {
  orderId: string;
  sessionId: string;
  userId: string;
  publishMode: PublishMode;
  paymentMethod: Order['paymentMethod'];
  shippingAddress: ShippingAddress | null;
  idempotencyKey: string | null;
  lines: CheckoutLine[];
  totals: OrderTotals;
  nowMs: number;
}

export class IdempotencyConflict extends Error {}

/**
 * Orders in Postgres. `insert` is ONE statement (so one round trip and atomic): it locks and consumes the
 * ordered cart lines, then writes the order and its lines (publish mode copied onto each, for the CDC
 * worker). It writes nothing unless every ordered line is still in the cart with the quantity priced.
 */
@Injectable()
export class OrdersRepository {
  constructor(private readonly db: Database) {}

  /**
   * Returns false, having written nothing, when the cart no longer holds the priced lines: a concurrent
   * checkout consumed them (a double submit) or a quantity changed. The caller reads the cart again.
   */
  async insert(o: NewOrder): Promise<boolean> {
    try {
      const rows = await this.db.query<{ whole: boolean }>(
        // GUARANTEE (one order per cart): the cart lines are locked before anything is written, in
        // product order so two checkouts never deadlock. A concurrent checkout of the same cart waits on
        // the first line, then finds the lines gone (or changed) and writes nothing.
        `WITH cart AS (
           SELECT c.product_id FROM cart_items c
             JOIN unnest($14::text[], $16::int[]) AS x(product_id, quantity)
               ON c.product_id = x.product_id AND c.quantity = x.quantity
            WHERE c.session_id = $2
            ORDER BY c.product_id
              FOR UPDATE OF c),
         claimed AS (SELECT count(*) = cardinality($14::text[]) AS whole FROM cart),
         consumed AS (
           DELETE FROM cart_items c USING claimed, unnest($14::text[]) AS x(product_id)
            WHERE claimed.whole AND c.session_id = $2 AND c.product_id = x.product_id),
         o AS (
           INSERT INTO orders (order_id, session_id, customer_id, status, publish_mode, published, subtotal, tax,
                               shipping, total, payment_method, shipping_address, idempotency_key, created_at, updated_at)
           SELECT $1, $2, $3, 'PENDING', $4, $5, $6, $7, $8, $9, $10, $11, $12,
                  to_timestamp($13::float8 / 1000), to_timestamp($13::float8 / 1000)
             FROM claimed WHERE claimed.whole
           RETURNING order_id),
         i AS (
           INSERT INTO order_items (order_id, product_id, product_name, quantity, unit_price, line_total, publish_mode)
           SELECT o.order_id, l.product_id, l.product_name, l.quantity, l.unit_price, l.line_total, $4
             FROM o, unnest($14::text[], $15::text[], $16::int[], $17::numeric[], $18::numeric[])
                  AS l(product_id, product_name, quantity, unit_price, line_total))
         SELECT whole FROM claimed`,
        [
          o.orderId,
          o.sessionId,
          o.userId,
          o.publishMode,
          // CDC orders are published by the WAL; direct ones wait for Kafka's acknowledgement.
          o.publishMode === 'cdc',
          centsToDecimal(o.totals.subtotalCents),
          centsToDecimal(o.totals.taxCents),
          centsToDecimal(o.totals.shippingCents),
          centsToDecimal(o.totals.totalCents),
          o.paymentMethod,
          o.shippingAddress ? JSON.stringify(o.shippingAddress) : null,
          o.idempotencyKey,
          o.nowMs,
          o.lines.map((l) => l.productId),
          o.lines.map((l) => l.productName),
          o.lines.map((l) => l.quantity),
          o.lines.map((l) => centsToDecimal(l.unitPriceCents)),
          o.lines.map((l) => centsToDecimal(l.lineTotalCents)),
        ],
        'checkout-insert-order',
      );
      return rows[0]?.whole === true;
    } catch (error) {
      const e = error as { code?: string; constraint?: string };
      if (e.code === '23505' && e.constraint === 'orders_idempotency_key_uq') throw new IdempotencyConflict();
      throw error;
    }
  }

  async find(orderId: string): Promise<Order | undefined> {
    const rows = await this.db.query<OrderRow>(`${ORDER_SELECT} WHERE o.order_id = $1`, [orderId]);
    return rows[0] && toOrder(rows[0]);
  }

  async findByIdempotencyKey(sessionId: string, key: string): Promise<Order | undefined> {
    const rows = await this.db.query<OrderRow>(
      `${ORDER_SELECT} WHERE o.session_id = $1 AND o.idempotency_key = $2`,
      [sessionId, key],
    );
    return rows[0] && toOrder(rows[0]);
  }

  async listBySession(sessionId: string, limit = 50): Promise<Order[]> {
    const rows = await this.db.query<OrderRow>(
      `${ORDER_SELECT} WHERE o.session_id = $1 ORDER BY o.created_at DESC LIMIT $2`,
      [sessionId, limit],
    );
    return rows.map(toOrder);
  }

  async markPublished(orderIds: string[]): Promise<void> {
    if (orderIds.length === 0) return;
    await this.db.query(
      'UPDATE orders SET published = true, publish_attempts = publish_attempts + 1 WHERE order_id = ANY($1) AND NOT published',
      [orderIds],
      'checkout-mark-published',
    );
  }

  async countUnpublished(): Promise<number> {
    const rows = await this.db.query<{ n: string }>(
      "SELECT count(*) AS n FROM orders WHERE NOT published AND publish_mode = 'direct'",
    );
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * Records the processor's verdict on one line, once: a redelivered status finds the line already
   * decided and changes nothing. The order row is locked first so two lines' verdicts serialise, and the
   * order's status moves only along the transition table. Returns the order when it changed.
   */
  async applyItemStatus(s: OrderItemStatus): Promise<'unknown-order' | 'duplicate' | 'applied'> {
    return this.db.transaction(async (client) => {
      const order = await client.query<{ status: OrderStatus }>(
        'SELECT status FROM orders WHERE order_id = $1 FOR UPDATE',
        [s.orderId],
      );
      if (order.rowCount === 0) return 'unknown-order';
      const updated = await client.query(
        `UPDATE order_items SET status = $3, reason = $4, status_event_at = to_timestamp($5::float8 / 1000)
          WHERE order_id = $1 AND product_id = $2 AND status = 'PENDING'`,
        [s.orderId, s.productId, s.status, s.reason, s.timestamp],
      );
      if (updated.rowCount === 0) return 'duplicate';
      const lines = await client.query<{ status: OrderLineStatus }>(
        'SELECT status FROM order_items WHERE order_id = $1',
        [s.orderId],
      );
      const next = transitionOrder(order.rows[0].status, deriveOrderStatus(lines.rows.map((r) => r.status)));
      await client.query('UPDATE orders SET status = $2, updated_at = now() WHERE order_id = $1', [
        s.orderId,
        next,
      ]);
      return 'applied';
    });
  }

  /**
   * The outbox's unit of work: claims up to `limit` direct-mode orders older than `graceMs` that Kafka
   * has not acknowledged (FOR UPDATE SKIP LOCKED, so two instances never claim the same order), hands
   * their lines to `publish`, and marks them published only if it succeeded. Returns how many it handled.
   */
  async publishPending(
    graceMs: number,
    limit: number,
    publish: (orders: PendingOrder[]) => Promise<boolean>,
  ): Promise<{ claimed: number; published: boolean }> {
    return this.db.transaction(async (client) => {
      const claimed = await client.query<{ order_id: string; created_ms: string }>(
        `SELECT order_id, (extract(epoch FROM created_at) * 1000)::bigint AS created_ms FROM orders
          WHERE NOT published AND publish_mode = 'direct' AND created_at < now() - ($1::float8 * interval '1 millisecond')
          ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [graceMs, limit],
      );
      if (claimed.rowCount === 0) return { claimed: 0, published: true };
      const ids = claimed.rows.map((r) => r.order_id);
      const items = await client.query<{ order_id: string; product_id: string; quantity: number }>(
        'SELECT order_id, product_id, quantity FROM order_items WHERE order_id = ANY($1) ORDER BY order_id, product_id',
        [ids],
      );
      const orders = claimed.rows.map((r) => ({
        orderId: r.order_id,
        createdAtMs: Number(r.created_ms),
        lines: items.rows
          .filter((i) => i.order_id === r.order_id)
          .map((i) => ({ productId: i.product_id, quantity: i.quantity })),
      }));
      const ok = await publish(orders);
      await client.query(
        'UPDATE orders SET published = published OR $2, publish_attempts = publish_attempts + 1 WHERE order_id = ANY($1)',
        [ids, ok],
      );
      return { claimed: ids.length, published: ok };
    });
  }
}

export interface PendingOrder {
  orderId: string;
  createdAtMs: number;
  lines: { productId: string; quantity: number }[];
}

import { Injectable } from '@nestjs/common';
import { Database } from '../db/database';

export interface CartRow {
  productId: string;
  quantity: number;
  updatedAtMs: number;
}

/** Carts in Postgres so they survive a restart (the original kept them in a static map, F-REL-1). */
@Injectable()
export class CartRepository {
  constructor(private readonly db: Database) {}

  async lines(sessionId: string): Promise<CartRow[]> {
    const rows = await this.db.query<{ product_id: string; quantity: number; updated_ms: string }>(
      `SELECT product_id, quantity, (extract(epoch FROM updated_at) * 1000)::bigint AS updated_ms
         FROM cart_items WHERE session_id = $1 ORDER BY added_at, product_id`,
      [sessionId],
      'cart-lines',
    );
    return rows.map((r) => ({
      productId: r.product_id,
      quantity: r.quantity,
      updatedAtMs: Number(r.updated_ms),
    }));
  }

  /** SET semantics, as the original's add: the line's quantity is replaced. */
  async setQuantity(
    sessionId: string,
    productId: string,
    quantity: number,
    userId: string | null,
    nowMs: number,
  ) {
    await this.db.query(
      `INSERT INTO cart_items (session_id, product_id, quantity, user_id, added_at, updated_at)
       VALUES ($1, $2, $3, $4, to_timestamp($5::float8 / 1000), to_timestamp($5::float8 / 1000))
       ON CONFLICT (session_id, product_id)
       DO UPDATE SET quantity = EXCLUDED.quantity, updated_at = EXCLUDED.updated_at,
                     user_id = COALESCE(EXCLUDED.user_id, cart_items.user_id)`,
      [sessionId, productId, quantity, userId, nowMs],
    );
  }

  /** Returns whether the line existed. */
  async remove(sessionId: string, productId: string): Promise<boolean> {
    const rows = await this.db.query(
      'DELETE FROM cart_items WHERE session_id = $1 AND product_id = $2 RETURNING 1',
      [sessionId, productId],
    );
    return rows.length > 0;
  }

  async clear(sessionId: string): Promise<void> {
    await this.db.query('DELETE FROM cart_items WHERE session_id = $1', [sessionId]);
  }
}

import { Pool } from 'pg';
import { parseLsn, type Lsn } from '../lsn';

/** The tables the worker captures (DESIGN §7). */
export const CAPTURED_TABLES = ['orders', 'order_items'] as const;

const DUPLICATE_OBJECT = '42710';

export interface SlotState {
  created: boolean;
  /** Where the next stream starts: everything committed before it was delivered. */
  confirmedFlushLsn: Lsn;
}

/**
 * The worker's plain (non-replication) Postgres connection: publication and slot management, the
 * primary keys of the captured tables, slot lag for /health, and the WAL heartbeat.
 */
export class SlotRepository {
  constructor(private readonly pool: Pool) {}

  static create(options: ConstructorParameters<typeof Pool>[0]): SlotRepository {
    const pool = new Pool({
      ...options,
      max: 2,
      idleTimeoutMillis: 30_000,
      application_name: 'kartshoppe-cdc-admin',
    });
    // An idle client dropped by the server (restart, pg_terminate_backend) must not crash the process.
    pool.on('error', () => undefined);
    return new SlotRepository(pool);
  }

  async ensurePublication(name: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('SELECT 1 FROM pg_publication WHERE pubname = $1', [name]);
    if (rowCount) return false;
    try {
      await this.pool.query(`CREATE PUBLICATION "${name}" FOR TABLE ${CAPTURED_TABLES.join(', ')}`);
      return true;
    } catch (e) {
      if ((e as { code?: string }).code === DUPLICATE_OBJECT) return false; // another worker won the race
      throw e;
    }
  }

  /**
   * Creates the slot if missing. A NEW slot starts at the current WAL position: orders committed before
   * it existed are not replayed (the original's F-CDC-2 replayed or lost history depending on the slot's
   * fate); an existing slot resumes from its confirmed_flush_lsn (F-CDC-1: the original never confirmed).
   */
  async ensureSlot(name: string): Promise<SlotState> {
    const existing = await this.confirmedFlushLsn(name);
    if (existing) return { created: false, confirmedFlushLsn: existing };
    try {
      await this.pool.query(`SELECT pg_create_logical_replication_slot($1, 'pgoutput')`, [name]);
    } catch (e) {
      if ((e as { code?: string }).code !== DUPLICATE_OBJECT) throw e;
    }
    const created = await this.confirmedFlushLsn(name);
    if (!created) throw new Error(`replication slot ${name} vanished right after creation`);
    return { created: true, confirmedFlushLsn: created };
  }

  async confirmedFlushLsn(name: string): Promise<Lsn | null> {
    const { rows } = await this.pool.query<{ lsn: string | null }>(
      `SELECT confirmed_flush_lsn::text AS lsn FROM pg_replication_slots WHERE slot_name = $1`,
      [name],
    );
    return rows[0]?.lsn ? parseLsn(rows[0].lsn) : null;
  }

  /** WAL the slot still pins: pg_current_wal_lsn() − confirmed_flush_lsn, in bytes (null if no slot). */
  async slotLagBytes(name: string): Promise<number | null> {
    const { rows } = await this.pool.query<{ lag: string | null }>(
      `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint::text AS lag
         FROM pg_replication_slots WHERE slot_name = $1`,
      [name],
    );
    return rows[0]?.lag == null ? null : Math.max(0, Number(rows[0].lag));
  }

  /**
   * Writes a tiny non-transactional logical message (not part of the publication, so it is never
   * streamed): the walsender decodes past it and sends a keep-alive whose WAL end the worker may then
   * confirm — an idle slot stops pinning WAL even when nobody else writes.
   */
  async emitHeartbeat(): Promise<void> {
    await this.pool.query(`SELECT pg_logical_emit_message(false, 'kartshoppe-heartbeat', '')`);
  }

  /** Primary-key columns per `schema.table` (pgoutput flags every column as key under REPLICA IDENTITY FULL). */
  async primaryKeys(): Promise<Map<string, string[]>> {
    const { rows } = await this.pool.query<{ schema: string; table: string; columns: string[] }>(
      `SELECT n.nspname AS schema, c.relname AS table,
              array_agg(a.attname::text ORDER BY array_position(i.indkey::int2[], a.attnum)) AS columns
         FROM pg_index i
         JOIN pg_class c ON c.oid = i.indrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY (i.indkey)
        WHERE i.indisprimary AND c.relname = ANY ($1)
        GROUP BY n.nspname, c.relname`,
      [CAPTURED_TABLES],
    );
    return new Map(rows.map((r) => [`${r.schema}.${r.table}`, r.columns]));
  }

  /** Drops the slot (teardown). Fails with Postgres's message if a worker is still streaming from it. */
  async dropSlot(name: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1`,
      [name],
    );
    return (rowCount ?? 0) > 0;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

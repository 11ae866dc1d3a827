import type { CdcRow } from '@kartshoppe/contracts';
import { parseLsn, type Lsn } from '../lsn';
import type { CapturedChange, CapturedTransaction } from '../mapping';

/** The subset of pg-logical-replication's pgoutput messages we read (see its pgoutput.types.d.ts). */
interface RelationRef {
  schema: string;
  name: string;
}
export type PgoutputMessage =
  | { tag: 'begin'; commitLsn: string | null; commitTime: bigint; xid: number }
  | { tag: 'commit'; commitLsn: string | null; commitEndLsn: string | null; commitTime: bigint }
  | { tag: 'insert'; relation: RelationRef; new: CdcRow }
  | { tag: 'update'; relation: RelationRef; key: CdcRow | null; old: CdcRow | null; new: CdcRow }
  | { tag: 'delete'; relation: RelationRef; key: CdcRow | null; old: CdcRow | null }
  | { tag: 'relation' | 'type' | 'origin' | 'truncate' | 'message' };

export class ReplicationProtocolError extends Error {
  override name = 'ReplicationProtocolError';
}

/** pgoutput times are microseconds since the Unix epoch (the library adds the 2000-01-01 offset). */
function microsToMs(micros: bigint): number {
  return Number(micros / 1000n);
}

/**
 * Buffers one transaction from BEGIN to COMMIT (pgoutput protocol 1 sends only committed transactions,
 * whole and in commit order). Pure: the replication adapter feeds messages, and gets the transaction
 * back at COMMIT to deliver it as a unit.
 */
export class TransactionAssembler {
  private current: CapturedTransaction | null = null;

  constructor(private readonly primaryKeyOf: (schema: string, table: string) => readonly string[]) {}

  /** True between BEGIN and COMMIT: a keep-alive received now must not move the confirmed position. */
  get inTransaction(): boolean {
    return this.current !== null;
  }

  /** Feeds one message received at `lsn`; returns the finished transaction on COMMIT. */
  push(lsn: Lsn, msg: PgoutputMessage): CapturedTransaction | null {
    switch (msg.tag) {
      case 'begin':
        if (this.current) throw new ReplicationProtocolError(`BEGIN inside transaction ${this.current.txId}`);
        this.current = {
          txId: msg.xid,
          commitLsn: parseLsn(msg.commitLsn ?? '0/0'),
          endLsn: parseLsn(msg.commitLsn ?? '0/0'),
          commitTimeMs: microsToMs(msg.commitTime),
          changes: [],
        };
        return null;
      case 'insert':
      case 'update':
      case 'delete':
        this.requireTransaction(msg.tag).changes.push(this.toChange(lsn, msg));
        return null;
      case 'commit': {
        const tx = this.requireTransaction('COMMIT');
        this.current = null;
        if (msg.commitLsn) tx.commitLsn = parseLsn(msg.commitLsn);
        tx.endLsn = msg.commitEndLsn ? parseLsn(msg.commitEndLsn) : lsn;
        tx.commitTimeMs = microsToMs(msg.commitTime);
        return tx;
      }
      case 'relation': // metadata: the library caches it and decodes the rows that follow with it
      case 'type':
      case 'origin':
      case 'truncate': // not captured: a TRUNCATE of orders is an operator action, not an order change
      case 'message': // logical messages are not requested (our heartbeat is one)
        return null;
    }
  }

  /** Drops a half-received transaction (connection lost): it is re-streamed from the slot. */
  reset(): void {
    this.current = null;
  }

  private requireTransaction(what: string): CapturedTransaction {
    if (!this.current) throw new ReplicationProtocolError(`${what} outside a transaction`);
    return this.current;
  }

  private toChange(
    lsn: Lsn,
    msg: Extract<PgoutputMessage, { tag: 'insert' | 'update' | 'delete' }>,
  ): CapturedChange {
    const { schema, name } = msg.relation;
    const base = { lsn, schema, table: name, primaryKey: this.primaryKeyOf(schema, name) };
    switch (msg.tag) {
      case 'insert':
        return { ...base, op: 'insert', before: null, after: plain(msg.new) };
      case 'update':
        return { ...base, op: 'update', before: plain(msg.old ?? msg.key), after: plain(msg.new) };
      case 'delete':
        return { ...base, op: 'delete', before: plain(msg.old ?? msg.key), after: null };
    }
  }
}

/** The library builds tuples with Object.create(null); copy them into plain objects (and keep null). */
function plain(row: CdcRow | null | undefined): CdcRow | null {
  return row ? { ...row } : null;
}

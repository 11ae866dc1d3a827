import type { CdcRow } from '@kartshoppe/contracts';
import type { Lsn } from '../lsn';

export type CapturedOperation = 'insert' | 'update' | 'delete';

/** One row change read from the WAL (pgoutput), already decoded into column values. */
export interface CapturedChange {
  /** WAL position of this change record (unique per row change; dead letters use it as their offset). */
  lsn: Lsn;
  schema: string;
  table: string;
  op: CapturedOperation;
  /** Old row image: the full row for UPDATE/DELETE on REPLICA IDENTITY FULL tables, else the key or null. */
  before: CdcRow | null;
  after: CdcRow | null;
  /** Primary-key columns of the table (from the catalog: with REPLICA IDENTITY FULL pgoutput flags every column). */
  primaryKey: readonly string[];
}

/** One committed transaction, buffered from BEGIN to COMMIT. */
export interface CapturedTransaction {
  txId: number;
  /** Start of the commit record: the envelope's `source.lsn`. */
  commitLsn: Lsn;
  /** End of the commit record: the position confirmed to the slot once the transaction is delivered. */
  endLsn: Lsn;
  commitTimeMs: number;
  changes: CapturedChange[];
}

/** A Kafka record to produce; the value is already serialised (so batches can be sized in bytes). */
export interface OutputRecord {
  topic: string;
  key: string | null;
  value: string;
  headers?: Record<string, string>;
}

/** Where records go; tests give each worker its own topics, production uses the contract's names. */
export interface OutputTopics {
  orderEvents: string;
  deadLetters: string;
  /** Envelope topics are `<prefix>.<schema>.<table>` (`cdc.public.orders`). */
  envelopePrefix: string;
}

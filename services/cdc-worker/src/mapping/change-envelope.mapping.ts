import {
  CDC_OPS,
  CdcEnvelopeSchema,
  TOPICS,
  cdcTopicFor,
  describeZodError,
  type CdcEnvelope,
  type CdcOp,
  type CdcRow,
} from '@kartshoppe/contracts';
import { MAX_RECORD_PAYLOAD_BYTES } from '@kartshoppe/runtime';
import { formatLsn } from '../lsn';
import type {
  CapturedChange,
  CapturedOperation,
  CapturedTransaction,
  OutputRecord,
  OutputTopics,
} from './captured-change';

export const CDC_CONNECTOR = 'kartshoppe-cdc-worker';

export const DEFAULT_OUTPUT_TOPICS: OutputTopics = {
  orderEvents: TOPICS.orderEvents,
  deadLetters: TOPICS.deadLetters,
  envelopePrefix: 'cdc',
};

/** `cdc.public.orders` with the default prefix: the contract's cdcTopicFor. */
export function envelopeTopic(topics: OutputTopics, schema: string, table: string): string {
  return topics.envelopePrefix === DEFAULT_OUTPUT_TOPICS.envelopePrefix
    ? cdcTopicFor(schema, table)
    : `${topics.envelopePrefix}.${schema}.${table}`;
}

const OPS: Record<CapturedOperation, CdcOp> = {
  insert: CDC_OPS.create,
  update: CDC_OPS.update,
  delete: CDC_OPS.delete,
};

export type Mapped<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * The record key: the primary key's value (`"ORD-1"`, `"42"`), or a JSON object of the key columns for a
 * composite key, so every change of one row lands on one partition in order.
 */
export function primaryKeyOf(change: CapturedChange): Mapped<string> {
  const row = change.after ?? change.before;
  if (change.primaryKey.length === 0) return { ok: false, error: `table ${change.table} has no primary key` };
  const values: CdcRow = {};
  for (const column of change.primaryKey) {
    const value = row?.[column];
    if (value === undefined || value === null) {
      return { ok: false, error: `primary key column ${column} is missing` };
    }
    values[column] = value;
  }
  if (change.primaryKey.length === 1) return { ok: true, value: String(values[change.primaryKey[0]]) };
  return { ok: true, value: JSON.stringify(values) };
}

/** The Debezium-style envelope of one change, validated against the contract. */
export function changeEnvelope(change: CapturedChange, tx: CapturedTransaction): Mapped<CdcEnvelope> {
  const envelope = {
    before: change.op === 'insert' ? null : change.before,
    after: change.op === 'delete' ? null : change.after,
    source: {
      connector: CDC_CONNECTOR,
      lsn: formatLsn(tx.commitLsn),
      txId: tx.txId,
      schema: change.schema,
      table: change.table,
      ts_ms: tx.commitTimeMs,
    },
    op: OPS[change.op],
    ts_ms: tx.commitTimeMs,
  };
  const parsed = CdcEnvelopeSchema.safeParse(envelope);
  if (!parsed.success) return { ok: false, error: `envelope: ${describeZodError(parsed.error)}` };
  return { ok: true, value: parsed.data };
}

/** The `cdc.<schema>.<table>` record of a change, keyed by primary key. */
export function envelopeRecord(
  change: CapturedChange,
  tx: CapturedTransaction,
  topics: OutputTopics = DEFAULT_OUTPUT_TOPICS,
): Mapped<OutputRecord> {
  const key = primaryKeyOf(change);
  if (!key.ok) return key;
  const envelope = changeEnvelope(change, tx);
  if (!envelope.ok) return envelope;
  const value = JSON.stringify(envelope.value);
  // A row too big for one Kafka record (a 1 MB JSONB typed in SQL) would be refused by the broker on
  // every redelivery and stall the slot for good: it becomes a dead letter instead.
  const bytes = Buffer.byteLength(value) + Buffer.byteLength(key.value);
  if (bytes > MAX_RECORD_PAYLOAD_BYTES) {
    return {
      ok: false,
      error: `change of ${bytes} bytes is too big for one Kafka record (at most ${MAX_RECORD_PAYLOAD_BYTES})`,
    };
  }
  return {
    ok: true,
    value: { topic: envelopeTopic(topics, change.schema, change.table), key: key.value, value },
  };
}

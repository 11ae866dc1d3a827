import { deadLetterHeaders } from '@kartshoppe/contracts';
import { fitDeadLetterPayload } from '@kartshoppe/runtime';
import { lsnToDecimal } from '../lsn';
import type { CapturedChange, CapturedTransaction, OutputRecord, OutputTopics } from './captured-change';
import {
  DEFAULT_OUTPUT_TOPICS,
  changeEnvelope,
  envelopeRecord,
  primaryKeyOf,
} from './change-envelope.mapping';
import { orderItemEvent } from './order-event.mapping';

export const CDC_COMPONENT = 'cdc-worker';

export interface MappedTransaction {
  /** Every record to produce, in commit order (a change's envelope, then its order event). */
  records: OutputRecord[];
  orderEvents: number;
  deadLetters: number;
}

/**
 * Maps one committed transaction to its Kafka records. Never throws for a bad row: a change that
 * cannot be mapped becomes a `dead-letters` record (origin topic = the table, partition 0, offset = the
 * change's LSN in decimal) and the rest of the transaction goes on — never a crash loop on one row.
 */
export function mapTransaction(
  tx: CapturedTransaction,
  nowMs: number,
  topics: OutputTopics = DEFAULT_OUTPUT_TOPICS,
): MappedTransaction {
  const records: OutputRecord[] = [];
  let orderEvents = 0;
  let deadLetters = 0;
  for (const change of tx.changes) {
    const envelope = envelopeRecord(change, tx, topics);
    if (envelope.ok) records.push(envelope.value);
    else {
      records.push(deadLetter(change, tx, envelope.error, nowMs, topics));
      deadLetters++;
    }
    const event = orderItemEvent(change, tx);
    if (event === null) continue;
    if (event.ok) {
      records.push({
        topic: topics.orderEvents,
        key: event.value.productId,
        value: JSON.stringify(event.value),
      });
      orderEvents++;
    } else {
      records.push(deadLetter(change, tx, event.error, nowMs, topics));
      deadLetters++;
    }
  }
  return { records, orderEvents, deadLetters };
}

/** The dead letter of a change: its captured content (the envelope fields) as the value, origin headers. */
export function deadLetter(
  change: CapturedChange,
  tx: CapturedTransaction,
  error: string,
  nowMs: number,
  topics: OutputTopics = DEFAULT_OUTPUT_TOPICS,
): OutputRecord {
  const key = primaryKeyOf(change);
  const envelope = changeEnvelope(change, tx);
  const value = envelope.ok
    ? envelope.value
    : {
        before: change.before,
        after: change.after,
        op: change.op,
        table: `${change.schema}.${change.table}`,
        txId: tx.txId,
      };
  const fitted = fitDeadLetterPayload(key.ok ? key.value : null, JSON.stringify(value));
  return {
    topic: topics.deadLetters,
    key: fitted.key === null ? null : fitted.key.toString(),
    value: fitted.value!.toString(),
    headers: deadLetterHeaders(
      { topic: `${change.schema}.${change.table}`, partition: 0, offset: lsnToDecimal(change.lsn) },
      `${fitted.note}${error}`,
      CDC_COMPONENT,
      nowMs,
    ),
  };
}

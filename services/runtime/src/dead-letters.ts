import { TOPICS, deadLetterHeaders, type DeadLetterOrigin } from '@kartshoppe/contracts';
import type { Message } from 'kafkajs';

/**
 * The most key + value bytes the platform puts in one Kafka record: the broker refuses a record batch
 * above message.max.bytes (1 MiB by default), and the headroom covers headers and batch overhead.
 * A record that cannot be written stalls its stream for good: the processor's transaction fails on
 * every retry until the process gives up, restarts and meets the same record (the original's poison
 * crash loop, F-FL-4); the API retries its partition forever; the CDC worker re-streams the same
 * transaction forever. So an input near the limit is dead-lettered, and the dead letter is cut to fit.
 */
export const MAX_RECORD_PAYLOAD_BYTES = 900 * 1024;
/** The budget of a dead letter's original key + value (beyond it the bytes are cut and the error says so). */
export const DEAD_LETTER_MAX_PAYLOAD_BYTES = MAX_RECORD_PAYLOAD_BYTES;
/** A key longer than this is cut too when the record is over budget (keys are ids, normally tiny). */
const DEAD_LETTER_MAX_KEY_BYTES = 16 * 1024;

/**
 * The dead-letter record for a poison input: the original key and bytes, and headers naming where it
 * came from and why it was refused. Operators replay or inspect it; the stream goes on.
 */
export function deadLetterMessage(
  origin: DeadLetterOrigin,
  key: Buffer | string | null,
  value: Buffer | string | null,
  error: string,
  component: string,
  nowMs: number,
): { topic: string; message: Message } {
  const fitted = fitDeadLetterPayload(key, value);
  return {
    topic: TOPICS.deadLetters,
    message: {
      key: fitted.key,
      value: fitted.value,
      // The note goes first: the error header is capped at 2,000 characters.
      headers: deadLetterHeaders(origin, `${fitted.note}${error}`, component, nowMs),
    },
  };
}

/**
 * A dead letter's key and value within DEAD_LETTER_MAX_PAYLOAD_BYTES; `note` (empty when nothing was
 * cut) goes in front of the error so the reader knows the whole record is at its origin offset.
 */
export function fitDeadLetterPayload(
  key: Buffer | string | null,
  value: Buffer | string | null,
): { key: Buffer | string | null; value: Buffer | string | null; note: string } {
  const keyBytes = key === null ? 0 : Buffer.byteLength(key);
  const valueBytes = value === null ? 0 : Buffer.byteLength(value);
  if (keyBytes + valueBytes <= DEAD_LETTER_MAX_PAYLOAD_BYTES) return { key, value, note: '' };
  const keptKey = key === null ? null : Buffer.from(key).subarray(0, DEAD_LETTER_MAX_KEY_BYTES);
  const keptValue =
    value === null
      ? null
      : Buffer.from(value).subarray(0, DEAD_LETTER_MAX_PAYLOAD_BYTES - (keptKey?.length ?? 0));
  const note =
    `truncated to fit a Kafka record (key ${keyBytes} -> ${keptKey?.length ?? 0} bytes, value ` +
    `${valueBytes} -> ${keptValue?.length ?? 0} bytes; the whole record is at its origin offset): `;
  return { key: keptKey, value: keptValue, note };
}

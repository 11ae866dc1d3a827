import { z } from 'zod';

/**
 * Headers a record carries on `dead-letters`: its original bytes are the value, its original key the
 * key, and these say where it came from and why it was refused.
 */
export const DEAD_LETTER_HEADERS = {
  originTopic: 'dlq.origin.topic',
  originPartition: 'dlq.origin.partition',
  originOffset: 'dlq.origin.offset',
  error: 'dlq.error',
  component: 'dlq.component',
  failedAtMs: 'dlq.failed-at-ms',
} as const;

export const DeadLetterHeadersSchema = z.object({
  [DEAD_LETTER_HEADERS.originTopic]: z.string().min(1),
  [DEAD_LETTER_HEADERS.originPartition]: z.string().regex(/^\d+$/),
  [DEAD_LETTER_HEADERS.originOffset]: z.string().regex(/^\d+$/),
  [DEAD_LETTER_HEADERS.error]: z.string().min(1),
  [DEAD_LETTER_HEADERS.component]: z.string().min(1),
  [DEAD_LETTER_HEADERS.failedAtMs]: z.string().regex(/^\d+$/),
});
export type DeadLetterHeaders = z.infer<typeof DeadLetterHeadersSchema>;

export interface DeadLetterOrigin {
  topic: string;
  partition: number;
  /** Kafka offsets are strings end to end (STYLE §11). */
  offset: string;
}

export function deadLetterHeaders(
  origin: DeadLetterOrigin,
  error: string,
  component: string,
  failedAtMs: number,
): DeadLetterHeaders {
  return {
    [DEAD_LETTER_HEADERS.originTopic]: origin.topic,
    [DEAD_LETTER_HEADERS.originPartition]: String(origin.partition),
    [DEAD_LETTER_HEADERS.originOffset]: origin.offset,
    [DEAD_LETTER_HEADERS.error]: error.slice(0, 2000),
    [DEAD_LETTER_HEADERS.component]: component,
    [DEAD_LETTER_HEADERS.failedAtMs]: String(failedAtMs),
  };
}

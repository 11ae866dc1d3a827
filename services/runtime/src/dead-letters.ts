import { TOPICS, deadLetterHeaders, type DeadLetterOrigin } from '@kartshoppe/contracts';
import type { Message } from 'kafkajs';

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
  return {
    topic: TOPICS.deadLetters,
    message: { key, value, headers: deadLetterHeaders(origin, error, component, nowMs) },
  };
}

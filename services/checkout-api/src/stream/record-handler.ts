import type { KafkaMessage } from 'kafkajs';

/** Where a record came from, for logs and dead-letter headers. Offsets stay strings (STYLE §11). */
export interface RecordOrigin {
  topic: string;
  partition: number;
  offset: string;
}

/**
 * One consumer concern (STYLE §7): it names the topics it accepts and handles one record
 * idempotently. It returns an error string for a poison record (the loop dead-letters it) and throws
 * only for a transient failure (the loop retries it, never skips it).
 */
export interface RecordHandler {
  readonly name: string;
  accepts(topic: string): boolean;
  handle(message: KafkaMessage, origin: RecordOrigin): Promise<string | undefined> | string | undefined;
}

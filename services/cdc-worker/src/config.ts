import { z } from 'zod';
import { TOPICS } from '@kartshoppe/contracts';
import type { OutputTopics } from './mapping';
import {
  commonEnv,
  envBoolean,
  envPort,
  envPositiveInt,
  kafkaEnv,
  parseEnv,
  postgresEnv,
} from '@kartshoppe/runtime';

/** Slot and publication names are SQL identifiers we quote ourselves: keep them to Postgres's slot alphabet. */
const pgName = z.string().regex(/^[a-z0-9_]{1,63}$/, 'lower-case letters, digits and _ only (max 63)');

export const CdcEnvSchema = z.object({
  ...commonEnv,
  ...kafkaEnv,
  ...postgresEnv,
  /** HTTP port of /health and /metrics. */
  CDC_PORT: envPort.default(8092),
  /** Logical replication slot (created by `manage-db migrate`, else on first start; `--drop-slot` removes it). */
  CDC_SLOT_NAME: pgName.default('kartshoppe_cdc'),
  /** Publication on orders + order_items (created if missing). */
  CDC_PUBLICATION_NAME: pgName.default('kartshoppe_cdc_pub'),
  /** How often an idle worker writes a WAL heartbeat so the server's keep-alive lets the slot advance. */
  CDC_HEARTBEAT_MS: envPositiveInt.default(10_000),
  /** First and largest pause between reconnects after a Postgres or Kafka failure (doubling in between). */
  CDC_RECONNECT_INITIAL_MS: envPositiveInt.default(500),
  CDC_RECONNECT_MAX_MS: envPositiveInt.default(30_000),
  /** Records produced per Kafka request, at most (a 1,000-line transaction goes in several batches). */
  CDC_BATCH_MAX_RECORDS: envPositiveInt.default(5_000),
  /** Bytes of record values per Kafka request, at most (below the broker's 1 MB message.max.bytes). */
  CDC_BATCH_MAX_BYTES: envPositiveInt.default(800_000),
  /** Records awaiting Kafka above which the replication stream is paused (memory bound). */
  CDC_MAX_BUFFERED_RECORDS: envPositiveInt.default(20_000),
  /** Output topic names: the contract's by default; tests give each worker its own to stay independent. */
  CDC_ORDER_EVENTS_TOPIC: z.string().min(1).default(TOPICS.orderEvents),
  CDC_DEAD_LETTERS_TOPIC: z.string().min(1).default(TOPICS.deadLetters),
  /** Envelope topics are `<prefix>.<schema>.<table>`: cdc.public.orders, cdc.public.order_items. */
  CDC_ENVELOPE_TOPIC_PREFIX: z.string().min(1).default('cdc'),
  /** Create missing output topics at start-up (order-events, cdc.public.*, dead-letters). */
  CDC_CREATE_TOPICS: envBoolean.default(true),
  /**
   * Fault injection for tests: SIGKILL the process after Kafka acknowledged a transaction's records but
   * before its commit LSN is confirmed to the slot (the window where at-least-once must redeliver).
   */
  CDC_CRASH_AFTER_COMMIT_BEFORE_ACK: envBoolean.default(false),
});
export type CdcConfig = z.infer<typeof CdcEnvSchema>;

export function outputTopics(config: CdcConfig): OutputTopics {
  return {
    orderEvents: config.CDC_ORDER_EVENTS_TOPIC,
    deadLetters: config.CDC_DEAD_LETTERS_TOPIC,
    envelopePrefix: config.CDC_ENVELOPE_TOPIC_PREFIX,
  };
}

export function loadCdcConfig(env: Record<string, string | undefined> = process.env): CdcConfig {
  return parseEnv('cdc-worker', CdcEnvSchema, env);
}

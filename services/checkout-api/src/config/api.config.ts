import { z } from 'zod';
import { commonEnv, envPort, envPositiveInt, kafkaEnv, parseEnv, postgresEnv } from '@kartshoppe/runtime';
import { TOPICS } from '@kartshoppe/contracts';

/**
 * The checkout API's configuration, parsed once from the environment (STYLE §9). Every key has a
 * default; units are in the names. Topic names can be overridden so integration tests use their own.
 */
export const ApiEnvSchema = z.object({
  ...commonEnv,
  ...kafkaEnv,
  ...postgresEnv,
  /** HTTP + WebSocket port (the original's 8081). */
  API_PORT: envPort.default(8081),
  API_HOST: z.string().default('0.0.0.0'),
  /** `local` allows producing to topics from /api/topics without a token; `remote` requires ADMIN_TOKEN. */
  API_MODE: z.enum(['local', 'remote']).default('local'),
  ADMIN_TOKEN: z.string().min(8).optional(),
  /** The built storefront; served with a SPA fallback when the folder exists. */
  STOREFRONT_DIR: z.string().default('frontend/dist'),
  PROCESSOR_URL: z.string().url().default('http://127.0.0.1:8091'),
  CDC_URL: z.string().url().default('http://127.0.0.1:8092'),
  /** How often the outbox looks for direct-mode orders Kafka has not acknowledged yet. */
  OUTBOX_POLL_MS: envPositiveInt.default(1000),
  /** An unpublished order younger than this is left to the inline publisher. */
  OUTBOX_GRACE_MS: envPositiveInt.default(5000),
  /** Longest a checkout waits for Kafka before answering with published=false (F-REL-2). */
  PUBLISH_INLINE_TIMEOUT_MS: envPositiveInt.default(2500),
  /** Micro-batching: how long the publisher lingers to gather more events into one produce request. */
  PUBLISH_LINGER_MS: z.coerce.number().int().nonnegative().default(2),
  PUBLISH_MAX_QUEUED_EVENTS: envPositiveInt.default(50_000),
  /** Read-model consumers use a fresh group per start (prefix + instance) so a restart rebuilds (F-RM-3). */
  READ_MODEL_GROUP_PREFIX: z.string().default('checkout-api-read-model'),
  ORDER_STATUS_GROUP_ID: z.string().default('checkout-api-order-status'),
  /** /health reports warm after catching up, or after this long with a warning. */
  READ_MODEL_WARMUP_MAX_MS: envPositiveInt.default(30_000),
  ALERTS_KEPT: envPositiveInt.default(100),
  /** Per-WebSocket-client send budget; beyond it updates coalesce, and a client stuck past it is closed. */
  WS_MAX_BUFFERED_BYTES: envPositiveInt.default(1_048_576),
  WS_MAX_PENDING_MESSAGES: envPositiveInt.default(1000),
  HTTP_BODY_LIMIT_BYTES: envPositiveInt.default(65_536),
  PG_POOL_MAX: envPositiveInt.default(20),
  TOPICS_MAX_SCAN_TIME_MS: envPositiveInt.default(10_000),
  CORS_ORIGINS: z
    .string()
    .default('http://localhost:3000,http://localhost:5173,http://localhost:8081,http://127.0.0.1:8081'),
  TOPIC_PRODUCTS: z.string().default(TOPICS.products),
  TOPIC_INVENTORY_EVENTS: z.string().default(TOPICS.inventoryEvents),
  TOPIC_WEBSOCKET_FANOUT: z.string().default(TOPICS.websocketFanout),
  TOPIC_INVENTORY_ALERTS: z.string().default(TOPICS.inventoryAlerts),
  TOPIC_ORDER_STATUS: z.string().default(TOPICS.orderStatus),
  TOPIC_ORDER_EVENTS: z.string().default(TOPICS.orderEvents),
  TOPIC_DEAD_LETTERS: z.string().default(TOPICS.deadLetters),
});
export type ApiConfig = z.infer<typeof ApiEnvSchema>;

export function loadApiConfig(env: Record<string, string | undefined> = process.env): ApiConfig {
  return parseEnv('checkout-api', ApiEnvSchema, env);
}

export const API_CONFIG = Symbol('API_CONFIG');

import { z } from 'zod';
import { commonEnv, envPort, envPositiveInt, kafkaEnv, parseEnv } from '@kartshoppe/runtime';

/** Every setting of the processor, parsed once from the environment (STYLE §9). */
export const ProcessorEnvSchema = z.object({
  ...commonEnv,
  ...kafkaEnv,
  /** HTTP port: interactive queries, /health, /metrics. */
  PROCESSOR_PORT: envPort.default(8091),
  /** Consumer group id and transactional-id prefix (`<app>-<partition>`). */
  PROCESSOR_APP_ID: z.string().min(1).default('inventory-processor'),
  /** This instance's name: its LMDB folder and its Kafka client id. */
  PROCESSOR_INSTANCE_ID: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/)
    .default('instance-1'),
  /** Where the local state (LMDB) lives. */
  PROCESSOR_STATE_DIR: z.string().default('.data/processor'),
  /** The bootstrap catalog applied on a first start. */
  CATALOG_FILE: z.string().default('data/initial-products.json'),
  /** Prefix for every topic name (tests and side-by-side runs); empty = the workshop names. */
  PROCESSOR_TOPIC_PREFIX: z.string().default(''),
  /** Quiet period after which STALE_INVENTORY fires. */
  STALE_AFTER_MS: envPositiveInt.default(3_600_000),
  /** How often due timers are swept (a due timer fires within this delay, also after a restart). */
  TIMER_SWEEP_MS: envPositiveInt.default(1_000),
  LOW_STOCK_THRESHOLD: z.coerce.number().int().nonnegative().default(10),
  CRITICAL_STOCK_THRESHOLD: z.coerce.number().int().nonnegative().default(5),
  PRICE_DROP_PERCENT: z.coerce.number().positive().max(100).default(10),
  /** Applied order-line ids remembered per product (duplicate detection window). */
  DEDUP_WINDOW_EVENTS: envPositiveInt.default(5_000),
  /** Consumer group session timeout: how long a crashed instance keeps its partitions. */
  PROCESSOR_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6_000).default(30_000),
  /** Records per produce request inside a transaction (kafkajs' per-partition grouping is quadratic). */
  PROCESSOR_MAX_MESSAGES_PER_REQUEST: envPositiveInt.default(2_000),
  /** Largest input batch fetched per partition (bigger batches, bigger and fewer transactions). */
  PROCESSOR_FETCH_BYTES_PER_PARTITION: envPositiveInt.default(1024 * 1024),
});
export type ProcessorEnv = z.infer<typeof ProcessorEnvSchema>;

export function loadProcessorConfig(env: Record<string, string | undefined> = process.env): ProcessorEnv {
  const config = parseEnv('inventory-processor', ProcessorEnvSchema, env);
  if (config.CRITICAL_STOCK_THRESHOLD > config.LOW_STOCK_THRESHOLD) {
    throw new Error('inventory-processor: CRITICAL_STOCK_THRESHOLD must not exceed LOW_STOCK_THRESHOLD');
  }
  return config;
}

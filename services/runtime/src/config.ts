import { z } from 'zod';

/** A configuration error lists every bad key at once, so a user fixes .env in one go (STYLE §9). */
export class ConfigError extends Error {
  constructor(
    readonly component: string,
    readonly problems: string[],
  ) {
    super(`${component}: invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment once with a zod object whose keys are the variable names. Nothing else in a
 * service reads process.env.
 */
export function parseEnv<S extends z.ZodObject>(
  component: string,
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  // Empty strings mean "unset" (a blank line in .env must not override a default).
  const cleaned: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') cleaned[k] = v;
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  throw new ConfigError(
    component,
    result.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`),
  );
}

/** `"true"`/`"1"`/`"yes"` → true; `"false"`/`"0"`/`"no"` → false. */
export const envBoolean = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const envPort = z.coerce.number().int().min(1).max(65535);
export const envPositiveInt = z.coerce.number().int().positive();

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Variables every service reads. */
export const commonEnv = {
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
};

/** Kafka connection (local plaintext, or a managed cluster with SASL/SCRAM over TLS). */
export const kafkaEnv = {
  KAFKA_BOOTSTRAP_SERVERS: z.string().default('127.0.0.1:9092'),
  KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
  KAFKA_USER: z.string().optional(),
  KAFKA_PASSWORD: z.string().optional(),
  KAFKA_SSL: envBoolean.default(false),
};
export const KafkaEnvSchema = z.object(kafkaEnv);
export type KafkaEnv = z.infer<typeof KafkaEnvSchema>;

/** Postgres connection. */
export const postgresEnv = {
  POSTGRES_HOST: z.string().default('127.0.0.1'),
  POSTGRES_PORT: envPort.default(5432),
  POSTGRES_DB: z.string().default('ecommerce'),
  POSTGRES_USER: z.string().default('postgres'),
  POSTGRES_PASSWORD: z.string().default('postgres'),
  POSTGRES_SSL: envBoolean.default(false),
};
export const PostgresEnvSchema = z.object(postgresEnv);
export type PostgresEnv = z.infer<typeof PostgresEnvSchema>;

/** node-postgres connection options from the Postgres variables. */
export function pgConnectionOptions(env: PostgresEnv) {
  return {
    host: env.POSTGRES_HOST,
    port: env.POSTGRES_PORT,
    database: env.POSTGRES_DB,
    user: env.POSTGRES_USER,
    password: env.POSTGRES_PASSWORD,
    ssl: env.POSTGRES_SSL ? { rejectUnauthorized: true } : undefined,
  };
}

/**
 * Where integration tests find the test infrastructure. The test Kafka and Postgres run on their own
 * ports and data folder (`.data/test-infra`), never the developer's running platform (DESIGN §10).
 * Every test names its topics, groups and slots with `uniqueName` so suites can share one broker.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';

export const TEST_KAFKA_PORT = Number(process.env.TEST_KAFKA_PORT ?? 39092);
export const TEST_KAFKA_CONTROLLER_PORT = Number(process.env.TEST_KAFKA_CONTROLLER_PORT ?? 39093);
export const TEST_PG_PORT = Number(process.env.TEST_PG_PORT ?? 35432);

export function testKafkaBrokers(): string[] {
  return [`127.0.0.1:${TEST_KAFKA_PORT}`];
}

export function testPgConfig(database = 'ecommerce') {
  return { host: '127.0.0.1', port: TEST_PG_PORT, user: 'postgres', password: 'postgres', database };
}

/** Env for a service process started by a test (same variable names as .env.example). */
export function testServiceEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    KAFKA_BOOTSTRAP_SERVERS: testKafkaBrokers().join(','),
    POSTGRES_HOST: '127.0.0.1',
    POSTGRES_PORT: String(TEST_PG_PORT),
    POSTGRES_DB: 'ecommerce',
    POSTGRES_USER: 'postgres',
    POSTGRES_PASSWORD: 'postgres',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    ...extra,
  };
}

/** A name no other test (or earlier run) uses: topics, consumer groups, slots, sessions. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/**
 * Waits until `probe` returns a value other than undefined/false, polling; fails with `what` after the
 * deadline. Integration tests wait on conditions, never fixed sleeps (STYLE §5).
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  { timeoutMs = 20_000, intervalMs = 100 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value as T;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      const why = lastError ? ` (last error: ${(lastError as Error).message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** A service's /health body on 127.0.0.1, or undefined while it does not answer (yet). */
export async function serviceHealth(port: number): Promise<Record<string, any> | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(3000) });
    return (await res.json()) as Record<string, any>;
  } catch {
    return undefined;
  }
}

/** The last lines of a service log, for a failure message. */
export function logTail(file: string, lines = 30): string {
  if (!existsSync(file)) return `(no ${file})`;
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

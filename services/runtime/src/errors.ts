/**
 * Errors carry their retry decision and what an operator needs to find the cause (STYLE §8).
 */
export class PlatformError extends Error {
  constructor(
    message: string,
    readonly options: { retriable: boolean; cause?: unknown; context?: Record<string, unknown> },
  ) {
    super(message, { cause: options.cause });
    this.name = 'PlatformError';
  }
  get retriable(): boolean {
    return this.options.retriable;
  }
}

/** A dependency (Kafka, Postgres) is unreachable: retriable, and HTTP answers 503 naming it. */
export class DependencyUnavailableError extends PlatformError {
  constructor(
    readonly dependency: 'kafka' | 'postgres' | 'read-model',
    cause?: unknown,
  ) {
    super(`${dependency} is unavailable`, { retriable: true, cause, context: { dependency } });
    this.name = 'DependencyUnavailableError';
  }
}

export function isRetriable(error: unknown): boolean {
  if (error instanceof PlatformError) return error.retriable;
  // kafkajs marks its own errors; connection-level failures from pg and sockets are transient too.
  const e = error as { retriable?: boolean; code?: string; name?: string } | undefined;
  if (e?.retriable === true) return true;
  return ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P03', '08006', '08001'].includes(
    e?.code ?? '',
  );
}

export interface RetryOptions {
  retries: number;
  initialDelayMs: number;
  maxDelayMs: number;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  sleep?: (ms: number) => Promise<void>;
}

/** Retries only retriable errors, with capped exponential backoff; anything else is thrown at once. */
export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (!isRetriable(error) || attempt >= options.retries) throw error;
      const delayMs = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** attempt);
      options.onRetry?.(error, attempt + 1, delayMs);
      await sleep(delayMs);
    }
  }
}

import { Injectable } from '@nestjs/common';
import { DependencyUnavailableError, isRetriable } from '@kartshoppe/runtime';
import { Pool, type PoolClient, type QueryResultRow } from 'pg';

/** Connection-level failures become a 503 naming postgres; constraint errors pass through. */
function translate(error: unknown): never {
  const code = (error as { code?: string }).code ?? '';
  if (
    isRetriable(error) ||
    code.startsWith('08') ||
    code === '57P01' ||
    /connect|terminat|timeout/i.test(String(error))
  ) {
    if (!/^(23|22|42)/.test(code)) throw new DependencyUnavailableError('postgres', error);
  }
  throw error;
}

/** The Postgres edge: one pool for the process. Repositories own their statements and transactions. */
@Injectable()
export class Database {
  constructor(readonly pool: Pool) {}

  /**
   * `name` makes it a prepared statement: Postgres parses and plans it once per connection instead of on
   * every call (the checkout's statements spent about as long in planning as in executing).
   */
  async query<R extends QueryResultRow>(text: string, values?: unknown[], name?: string): Promise<R[]> {
    try {
      return (await this.pool.query<R>({ text, values, name })).rows;
    } catch (error) {
      translate(error);
    }
  }

  /** Runs `fn` in one transaction; rolls back on any error. */
  async transaction<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      translate(error);
    }
    // A connection that dies while checked out (Postgres restarted) emits 'error' on the client, and
    // pg attaches no listener to a checked-out client: unheard, that event killed the whole API. The
    // statement in flight rejects anyway; the broken client is handed back with its error so the pool
    // discards it instead of reusing it.
    let broken: Error | undefined;
    const onError = (error: Error) => (broken = error);
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      translate(error);
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
  }

  async ping(timeoutMs = 1000): Promise<boolean> {
    const timer = new Promise<boolean>((r) => setTimeout(() => r(false), timeoutMs).unref());
    return Promise.race([
      this.pool.query('SELECT 1').then(
        () => true,
        () => false,
      ),
      timer,
    ]);
  }
}

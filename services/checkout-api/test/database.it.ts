/**
 * The Postgres edge against a real server: a connection that dies inside a transaction (what a Postgres
 * restart does to every checked-out client) fails that transaction with a 503-style error and leaves
 * the process and the pool working. Found by the chaos run (test/chaos): the API exited on an
 * unhandled 'error' event of the checked-out pg client when Postgres was restarted.
 */
import { DependencyUnavailableError } from '@kartshoppe/runtime';
import { Pool } from 'pg';
import { Database } from '../src/db/database';
import { testPgConfig } from '../../../test/support/infra';

let pool: Pool;
let admin: Pool;

beforeAll(() => {
  pool = new Pool({ ...testPgConfig(), max: 2 });
  pool.on('error', () => undefined); // idle clients' errors, as the app logs them
  admin = new Pool({ ...testPgConfig(), max: 1 });
});

afterAll(async () => {
  await pool.end();
  await admin.end();
});

it('a connection terminated between statements of a transaction rejects it, no uncaught error', async () => {
  const db = new Database(pool);
  const failed = db.transaction(async (client) => {
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const ended = new Promise((r) => client.once('end', r));
    await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
    await ended; // the client learnt that its connection is gone while checked out and idle
    await client.query('SELECT 1');
  });
  await expect(failed).rejects.toBeInstanceOf(DependencyUnavailableError);
  // The broken client was discarded, not handed out again.
  await expect(
    db.transaction(async (client) => (await client.query('SELECT 41 + 1 AS n')).rows[0]),
  ).resolves.toEqual({
    n: 42,
  });
});

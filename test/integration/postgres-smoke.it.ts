/**
 * Smoke test of the test PostgreSQL 15: logical decoding works end to end the way the CDC worker uses
 * it — a publication, a pgoutput slot, a change streamed by pg-logical-replication, a manual
 * acknowledgement that moves the slot's confirmed LSN (the original never confirmed it, F-CDC-1).
 */
import { Client } from 'pg';
import { LogicalReplicationService, PgoutputPlugin, type Pgoutput } from 'pg-logical-replication';
import { testPgConfig, uniqueName, waitFor } from '../support/infra';

jest.setTimeout(60_000);

const sqlName = (prefix: string) => uniqueName(prefix).replace(/-/g, '_');

let client: Client;
beforeAll(async () => {
  client = new Client(testPgConfig());
  await client.connect();
});
afterAll(async () => {
  await client.end();
});

test('the cluster runs with wal_level=logical and the migrations applied', async () => {
  const { rows } = await client.query<{ wal_level: string }>('SHOW wal_level');
  expect(rows[0].wal_level).toBe('logical');
  const migrations = await client.query<{ version: number }>(
    'SELECT version FROM schema_migrations ORDER BY version',
  );
  expect(migrations.rows.map((r) => r.version)).toEqual(expect.arrayContaining([1, 2]));
});

test('an insert arrives through a pgoutput slot and a manual acknowledgement confirms its LSN', async () => {
  const table = sqlName('smoke_cdc');
  const publication = `${table}_pub`;
  const slot = `${table}_slot`;
  await client.query(`CREATE TABLE ${table} (id SERIAL PRIMARY KEY, note TEXT NOT NULL)`);
  await client.query(`CREATE PUBLICATION ${publication} FOR TABLE ${table}`);
  await client.query(`SELECT pg_create_logical_replication_slot($1, 'pgoutput')`, [slot]);

  const service = new LogicalReplicationService(testPgConfig(), {
    acknowledge: { auto: false, timeoutSeconds: 0 },
  });
  const inserts: { lsn: string; row: Record<string, unknown> }[] = [];
  let commitLsn: string | undefined;
  service.on('data', (lsn: string, message: Pgoutput.Message) => {
    if (message.tag === 'insert' && message.relation.name === table) inserts.push({ lsn, row: message.new });
    if (message.tag === 'commit' && inserts.length > 0) commitLsn ??= lsn;
  });
  const errors: Error[] = [];
  service.on('error', (e: Error) => void errors.push(e));
  const plugin = new PgoutputPlugin({ protoVersion: 1, publicationNames: [publication] });
  const streaming = service.subscribe(plugin, slot).catch((e: Error) => void errors.push(e));
  try {
    await waitFor('replication to start', () => {
      const started = !service.isStop();
      return started;
    });
    await client.query(`INSERT INTO ${table} (note) VALUES ('hello')`);
    const lsn = await waitFor('the insert and its commit to arrive', () => commitLsn);
    expect(inserts.map((i) => i.row)).toEqual([{ id: 1, note: 'hello' }]);

    await service.acknowledge(lsn);
    await waitFor('the slot to confirm the acknowledged LSN', async () => {
      const { rows } = await client.query<{ confirmed: boolean }>(
        'SELECT confirmed_flush_lsn >= $2::pg_lsn AS confirmed FROM pg_replication_slots WHERE slot_name = $1',
        [slot, lsn],
      );
      return rows[0]?.confirmed === true;
    });
    expect(errors).toEqual([]);
  } finally {
    await service.stop();
    await streaming;
    await waitFor('the slot to become inactive', async () => {
      const { rows } = await client.query(
        'SELECT 1 FROM pg_replication_slots WHERE slot_name = $1 AND active',
        [slot],
      );
      return rows.length === 0;
    });
    await client.query('SELECT pg_drop_replication_slot($1)', [slot]);
    await client.query(`DROP PUBLICATION ${publication}`);
    await client.query(`DROP TABLE ${table}`);
  }
  const { rows } = await client.query('SELECT 1 FROM pg_replication_slots WHERE slot_name = $1', [slot]);
  expect(rows).toHaveLength(0);
});

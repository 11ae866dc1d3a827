/**
 * Database schema management: `migrate` applies infra/migrations/NNN_*.sql in order, each once, in its
 * own transaction, recording it in schema_migrations, then creates the CDC worker's publication and
 * logical slot when missing; `reset` drops everything of the schema (tables, publications, inactive
 * slots of this database) and migrates again.
 *
 *   node scripts/run-ts.js scripts/manage-db.ts migrate|reset
 *
 * Connection from POSTGRES_*, names from CDC_SLOT_NAME / CDC_PUBLICATION_NAME (see .env.example).
 * Concurrent runs serialise on an advisory lock.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { parseEnv, PostgresEnvSchema, pgConnectionOptions, type PostgresEnv } from '@kartshoppe/runtime';
import { CdcEnvSchema } from '../services/cdc-worker/src/config';
import { formatLsn } from '../services/cdc-worker/src/lsn';
import { SlotRepository } from '../services/cdc-worker/src/replication/slot.repository';
import { decideCdcSlot, orderMigrations, planMigrations, type AppliedMigration } from './lib/migrations';

const MIGRATIONS_DIR = join(__dirname, '..', 'infra', 'migrations');
// Any constant works; it only has to be the same for every manage-db run.
const MIGRATION_LOCK_KEY = 7_215_001;

function loadMigrations() {
  const files = readdirSync(MIGRATIONS_DIR).map((file) => ({
    file,
    sql: readFileSync(join(MIGRATIONS_DIR, file), 'utf8'),
  }));
  return orderMigrations(files);
}

/** Connects to the configured database, creating it first when it does not exist yet. */
async function connect(env: PostgresEnv): Promise<Client> {
  const client = new Client(pgConnectionOptions(env));
  try {
    await client.connect();
    return client;
  } catch (e) {
    if ((e as { code?: string }).code !== '3D000') throw e; // 3D000: invalid_catalog_name
  }
  const admin = new Client({ ...pgConnectionOptions(env), database: 'postgres' });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${env.POSTGRES_DB.replace(/"/g, '""')}"`);
    console.log(`created database ${env.POSTGRES_DB}`);
  } finally {
    await admin.end();
  }
  const created = new Client(pgConnectionOptions(env));
  await created.connect();
  return created;
}

async function migrate(client: Client): Promise<void> {
  await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    checksum   TEXT NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
  const { rows } = await client.query<AppliedMigration>('SELECT version, checksum FROM schema_migrations');
  const plan = planMigrations(loadMigrations(), rows);
  for (const m of plan.changed) {
    console.warn(
      `warning: migration ${m.file} changed after it was applied; run "manage-db reset" to rebuild`,
    );
  }
  for (const v of plan.unknown) console.warn(`warning: applied migration ${v} has no file any more`);
  for (const m of plan.pending) {
    await client.query('BEGIN');
    try {
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
        m.version,
        m.name,
        m.checksum,
      ]);
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK');
      throw new Error(`migration ${m.file} failed: ${(e as Error).message}`, { cause: e });
    }
    console.log(`applied ${m.file}`);
  }
  if (plan.pending.length === 0) console.log('database schema is up to date');
}

const CdcNamesSchema = CdcEnvSchema.pick({ CDC_SLOT_NAME: true, CDC_PUBLICATION_NAME: true });
type CdcNames = ReturnType<typeof CdcNamesSchema.parse>;

/**
 * The CDC worker's publication and slot, created with the schema instead of on the worker's first start
 * (it still creates them if missing, with the same code): a "Use CDC" order committed before
 * ./order-cdc.sh ever ran is then held by the slot, and the worker streams it when it starts. Before,
 * such an order stayed PENDING forever (the original's F-CDC-2 lost orders placed before its first
 * start). Publication first: the slot must never decode changes from before the publication existed.
 * The price: until a worker consumes it, the slot keeps WAL (capped by max_slot_wal_keep_size).
 */
async function ensureCdcCapture(client: Client, env: PostgresEnv, names: CdcNames): Promise<void> {
  const slots = SlotRepository.create(pgConnectionOptions(env));
  try {
    if (await slots.ensurePublication(names.CDC_PUBLICATION_NAME)) {
      console.log(`created publication ${names.CDC_PUBLICATION_NAME} (orders, order_items)`);
    }
    const slot = names.CDC_SLOT_NAME;
    const { rows } = await client.query<{
      database: string | null;
      plugin: string | null;
      slot_type: string;
      wal_status: string | null;
      current: string;
    }>(
      `SELECT s.database, s.plugin, s.slot_type, s.wal_status, current_database() AS current
         FROM (SELECT 1) one LEFT JOIN pg_replication_slots s ON s.slot_name = $1`,
      [slot],
    );
    const row = rows[0];
    const existing = row.slot_type
      ? { database: row.database, plugin: row.plugin, slotType: row.slot_type, walStatus: row.wal_status }
      : undefined;
    const decision = decideCdcSlot(slot, row.current, existing);
    switch (decision.action) {
      case 'create': {
        const { confirmedFlushLsn } = await slots.ensureSlot(slot);
        console.log(
          `created replication slot ${slot} at ${formatLsn(confirmedFlushLsn)}: CDC orders from now on wait for the CDC worker`,
        );
        break;
      }
      case 'keep':
        console.log(`replication slot ${slot} is in place`);
        break;
      case 'warn':
        console.warn(`warning: ${decision.message}`);
        break;
    }
  } finally {
    await slots.close();
  }
}

async function reset(client: Client): Promise<void> {
  // Slots hold WAL and block nothing here, but a stale one would replay old changes to a new worker.
  await client.query(`SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots
    WHERE database = current_database() AND NOT active`);
  const pubs = await client.query<{ pubname: string }>('SELECT pubname FROM pg_publication');
  for (const { pubname } of pubs.rows)
    await client.query(`DROP PUBLICATION "${pubname.replace(/"/g, '""')}"`);
  await client.query('DROP SCHEMA public CASCADE');
  await client.query('CREATE SCHEMA public');
  console.log('dropped schema public, publications and inactive slots');
  await migrate(client);
}

async function main(): Promise<void> {
  const command = process.argv[2];
  if (command !== 'migrate' && command !== 'reset') {
    console.error('usage: node scripts/run-ts.js scripts/manage-db.ts migrate|reset');
    process.exit(2);
  }
  const env = parseEnv('manage-db', PostgresEnvSchema);
  const cdcNames = parseEnv('manage-db', CdcNamesSchema);
  const client = await connect(env);
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    if (command === 'migrate') await migrate(client);
    else await reset(client);
    await ensureCdcCapture(client, env, cdcNames);
  } finally {
    await client.end();
  }
}

main().catch((e: Error) => {
  console.error(`manage-db: ${e.message}`);
  process.exit(1);
});

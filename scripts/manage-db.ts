/**
 * Database schema management: `migrate` applies infra/migrations/NNN_*.sql in order, each once, in its
 * own transaction, recording it in schema_migrations; `reset` drops everything of the schema (tables,
 * publications, inactive slots of this database) and migrates again.
 *
 *   node scripts/run-ts.js scripts/manage-db.ts migrate|reset
 *
 * Connection from POSTGRES_* (see .env.example). Concurrent runs serialise on an advisory lock.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { parseEnv, PostgresEnvSchema, pgConnectionOptions, type PostgresEnv } from '@kartshoppe/runtime';
import { orderMigrations, planMigrations, type AppliedMigration } from './lib/migrations';

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
  const client = await connect(env);
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    if (command === 'migrate') await migrate(client);
    else await reset(client);
  } finally {
    await client.end();
  }
}

main().catch((e: Error) => {
  console.error(`manage-db: ${e.message}`);
  process.exit(1);
});

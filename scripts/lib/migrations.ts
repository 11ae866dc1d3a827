/**
 * The pure part of scripts/manage-db.ts: which SQL files are migrations, in what order, and which are
 * still to apply. Files are `NNN_name.sql`; they run in numeric order, once each, and the database
 * records each applied version (with a checksum) in `schema_migrations`.
 */
import { createHash } from 'node:crypto';

export interface Migration {
  version: number;
  name: string;
  file: string;
  sql: string;
  checksum: string;
}

export interface AppliedMigration {
  version: number;
  checksum: string;
}

const MIGRATION_FILE = /^(\d+)_([a-z0-9_-]+)\.sql$/i;

export function checksumOf(sql: string): string {
  return createHash('sha256').update(sql).digest('hex').slice(0, 16);
}

/**
 * Orders migration files by their numeric prefix (so 10_ comes after 9_, unlike a string sort) and
 * rejects names that would make the order ambiguous.
 */
export function orderMigrations(files: readonly { file: string; sql: string }[]): Migration[] {
  const migrations: Migration[] = [];
  for (const { file, sql } of files) {
    if (!file.endsWith('.sql')) continue;
    const match = MIGRATION_FILE.exec(file);
    if (!match) throw new Error(`migration file ${file} is not named NNN_name.sql`);
    migrations.push({ version: Number(match[1]), name: match[2], file, sql, checksum: checksumOf(sql) });
  }
  migrations.sort((a, b) => a.version - b.version);
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i].version === migrations[i - 1].version) {
      throw new Error(
        `migrations ${migrations[i - 1].file} and ${migrations[i].file} share version ${migrations[i].version}`,
      );
    }
  }
  return migrations;
}

export interface MigrationPlan {
  pending: Migration[];
  /** Applied migrations whose file changed since: reported, never re-run (reset rebuilds). */
  changed: Migration[];
  /** Versions recorded in the database that no file provides any more. */
  unknown: number[];
}

export function planMigrations(
  all: readonly Migration[],
  applied: readonly AppliedMigration[],
): MigrationPlan {
  const appliedByVersion = new Map(applied.map((a) => [a.version, a]));
  const known = new Set(all.map((m) => m.version));
  return {
    pending: all.filter((m) => !appliedByVersion.has(m.version)),
    changed: all.filter((m) => {
      const a = appliedByVersion.get(m.version);
      return a !== undefined && a.checksum !== m.checksum;
    }),
    unknown: applied.map((a) => a.version).filter((v) => !known.has(v)),
  };
}

/** What pg_replication_slots says about the slot named like the CDC worker's (CDC_SLOT_NAME). */
export interface ExistingSlot {
  database: string | null;
  plugin: string | null;
  slotType: string;
  /** pg_replication_slots.wal_status: 'lost' once max_slot_wal_keep_size removed WAL it still needed. */
  walStatus: string | null;
}

export type SlotDecision = { action: 'create' } | { action: 'keep' } | { action: 'warn'; message: string };

/**
 * Whether `migrate` creates the CDC worker's slot. Only a missing slot is created; one that exists is
 * kept as it is (the worker resumes from its confirmed position), and one the worker of this database
 * cannot stream from is reported, never dropped: dropping it would lose the orders it still holds.
 */
export function decideCdcSlot(
  slot: string,
  database: string,
  existing: ExistingSlot | undefined,
): SlotDecision {
  if (!existing) return { action: 'create' };
  if (existing.slotType !== 'logical' || existing.plugin !== 'pgoutput') {
    return {
      action: 'warn',
      message: `replication slot ${slot} exists but is not a pgoutput logical slot; the CDC worker cannot stream from it (drop it or set another CDC_SLOT_NAME)`,
    };
  }
  if (existing.database !== database) {
    return {
      action: 'warn',
      message: `replication slot ${slot} belongs to database ${existing.database}; the CDC worker of database ${database} needs another CDC_SLOT_NAME`,
    };
  }
  if (existing.walStatus === 'lost') {
    return {
      action: 'warn',
      message: `replication slot ${slot} lost WAL it still needed (max_slot_wal_keep_size): orders placed meanwhile cannot be streamed; drop it (the CDC worker's --drop-slot) and migrate again`,
    };
  }
  return { action: 'keep' };
}

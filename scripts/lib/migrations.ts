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

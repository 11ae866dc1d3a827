import { open, type Database, type RootDatabase } from 'lmdb';
import type { KeyValueStore } from '../processor';

/**
 * The local state of one instance: one LMDB environment (`<stateDir>/<instanceId>`), one database per
 * partition, plus a `checkpoints` database holding, per partition, the changelog end offset
 * (exclusive) that LMDB reflects: the restore reads the changelog from there, and skips it when the
 * checkpoint equals the changelog's end.
 */
export class LmdbStateEnv {
  private readonly root: RootDatabase;
  private readonly checkpoints: Database<string, string>;

  constructor(path: string) {
    this.root = open({ path, maxDbs: 1024, compression: false });
    this.checkpoints = this.root.openDB<string, string>({ name: 'checkpoints' });
  }

  partitionStore<V>(partition: number): LmdbPartitionStore<V> {
    const db = this.root.openDB<V, string>({ name: `partition-${partition}` });
    return new LmdbPartitionStore<V>(db, this.checkpoints, partition);
  }

  async close(): Promise<void> {
    await this.root.close();
  }
}

/**
 * A partition's store. Writes made while a batch is processed stay in `pending` until the Kafka
 * transaction that carries their changelog records has committed; only then are they written to LMDB
 * with the checkpoint. So LMDB never holds state Kafka does not (an aborted or crashed transaction
 * leaves it untouched), and after a crash the changelog tail after the checkpoint restores the rest.
 */
export class LmdbPartitionStore<V> implements KeyValueStore<V> {
  private pending = new Map<string, V>();

  constructor(
    private readonly db: Database<V, string>,
    private readonly checkpoints: Database<string, string>,
    readonly partition: number,
  ) {}

  get(key: string): V | undefined {
    return this.pending.has(key) ? this.pending.get(key) : this.db.get(key);
  }

  put(key: string, value: V): void {
    this.pending.set(key, value);
  }

  delete(): void {
    throw new Error('delete is not supported by the inventory store (products are never removed)');
  }

  *entries(): IterableIterator<[string, V]> {
    for (const { key, value } of this.db.getRange()) {
      if (!this.pending.has(key)) yield [key, value];
    }
    yield* this.pending.entries();
  }

  size(): number {
    let extra = 0;
    for (const key of this.pending.keys()) if (this.db.get(key) === undefined) extra++;
    return this.db.getCount() + extra;
  }

  /**
   * Reads for the outside world (interactive queries, /health): only what a committed Kafka
   * transaction carries. A pending write belongs to a transaction in flight that may still abort.
   */
  getCommitted(key: string): V | undefined {
    return this.db.get(key);
  }

  *committedEntries(): IterableIterator<[string, V]> {
    for (const { key, value } of this.db.getRange()) yield [key, value];
  }

  committedSize(): number {
    return this.db.getCount();
  }

  /** Keys written since the last commit, with their latest value (the changelog records to send). */
  dirty(): [string, V][] {
    return [...this.pending];
  }

  hasPending(): boolean {
    return this.pending.size > 0;
  }

  /** After the Kafka commit: persist the pending writes and the changelog checkpoint atomically. */
  async commit(checkpointOffset: string | null): Promise<void> {
    const writes = this.pending;
    this.pending = new Map();
    await this.db.transaction(() => {
      for (const [key, value] of writes) void this.db.put(key, value);
      if (checkpointOffset !== null) void this.checkpoints.put(String(this.partition), checkpointOffset);
    });
  }

  /** After an abort: forget the uncommitted writes. */
  discard(): void {
    this.pending.clear();
  }

  checkpoint(): string | undefined {
    return this.checkpoints.get(String(this.partition));
  }

  /** Restore writes (from the changelog) go straight to LMDB. */
  async restore(records: [string, V][], checkpointOffset: string): Promise<void> {
    await this.db.transaction(() => {
      for (const [key, value] of records) void this.db.put(key, value);
      void this.checkpoints.put(String(this.partition), checkpointOffset);
    });
  }

  /** Local state that cannot be trusted (e.g. the changelog was recreated) is wiped before a full restore. */
  async wipe(): Promise<void> {
    this.pending.clear();
    await this.db.clearAsync();
    await this.checkpoints.remove(String(this.partition));
  }
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LmdbStateEnv } from './lmdb.store';

describe('LmdbPartitionStore', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'lmdb-store-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps writes pending until commit, discards them on abort, persists with the checkpoint', async () => {
    const env = new LmdbStateEnv(dir);
    const store = env.partitionStore<{ n: number }>(2);
    store.put('a', { n: 1 });
    expect(store.get('a')).toEqual({ n: 1 });
    store.discard();
    expect(store.get('a')).toBeUndefined();
    store.put('a', { n: 2 });
    store.put('b', { n: 3 });
    expect(store.dirty()).toEqual([
      ['a', { n: 2 }],
      ['b', { n: 3 }],
    ]);
    await store.commit('41');
    expect(store.hasPending()).toBe(false);
    await env.close();

    const reopened = new LmdbStateEnv(dir).partitionStore<{ n: number }>(2);
    expect(reopened.checkpoint()).toBe('41');
    expect([...reopened.entries()]).toEqual([
      ['a', { n: 2 }],
      ['b', { n: 3 }],
    ]);
    expect(reopened.size()).toBe(2);
    await reopened.wipe();
    expect(reopened.size()).toBe(0);
    expect(reopened.checkpoint()).toBeUndefined();
  });

  it('committed reads never see a pending write (it may still be aborted)', async () => {
    const env = new LmdbStateEnv(dir);
    const store = env.partitionStore<{ n: number }>(0);
    store.put('a', { n: 1 });
    await store.commit('1');
    store.put('a', { n: 2 });
    store.put('b', { n: 3 });
    expect(store.get('a')).toEqual({ n: 2 }); // the processor sees its own batch
    expect(store.getCommitted('a')).toEqual({ n: 1 });
    expect(store.getCommitted('b')).toBeUndefined();
    expect([...store.committedEntries()]).toEqual([['a', { n: 1 }]]);
    expect(store.committedSize()).toBe(1);
    await store.commit('2');
    expect(store.getCommitted('a')).toEqual({ n: 2 });
    expect(store.committedSize()).toBe(2);
    await env.close();
  });

  it('keeps partitions apart', async () => {
    const env = new LmdbStateEnv(dir);
    const p0 = env.partitionStore<number>(0);
    const p1 = env.partitionStore<number>(1);
    p0.put('k', 1);
    await p0.commit('0');
    expect(p1.get('k')).toBeUndefined();
    await env.close();
  });
});

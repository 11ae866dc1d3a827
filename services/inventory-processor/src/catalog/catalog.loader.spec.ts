import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@kartshoppe/runtime';
import { partitionForKey } from '../streams/murmur2.partitioner';
import { catalogRecordsFor, readCatalog } from './catalog.loader';

describe('catalog loader', () => {
  const logger = createLogger('test', 'silent');
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'catalog-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('splits the file per product and hands each partition its own keys (bad entries kept for the DLQ, F-FL-9)', () => {
    const file = join(dir, 'c.json');
    // a multi-byte name survives (the original decoded 8 KiB chunks separately)
    writeFileSync(
      file,
      JSON.stringify([
        { productId: 'PROD_0001', name: 'Café ☕' },
        { productId: 'PROD_0002' },
        { bad: true },
      ]),
    );
    const entries = readCatalog(file, logger);
    expect(entries.map((e) => e.productId)).toEqual(['PROD_0001', 'PROD_0002', null]);
    expect(JSON.parse(entries[0]!.raw.toString()).name).toBe('Café ☕');
    const all = [0, 1, 2].flatMap((p) =>
      catalogRecordsFor(entries, p, 3, 0).map((r) => [p, r.key?.toString() ?? null]),
    );
    expect(all).toEqual(
      expect.arrayContaining([
        [partitionForKey('PROD_0001', 3), 'PROD_0001'],
        [partitionForKey('PROD_0002', 3), 'PROD_0002'],
        [0, null],
      ]),
    );
    expect(all).toHaveLength(3);
  });

  it.each([
    ['missing', null],
    ['not JSON', '{oops'],
    ['not an array', '{}'],
  ])('a %s file bootstraps nothing', (_t, content) => {
    const file = join(dir, 'c.json');
    if (content !== null) writeFileSync(file, content);
    expect(readCatalog(file, logger)).toEqual([]);
  });
});

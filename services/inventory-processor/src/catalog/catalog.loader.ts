import { readFileSync } from 'node:fs';
import type { Logger } from '@kartshoppe/runtime';
import { partitionForKey } from '../streams/murmur2.partitioner';
import type { InputRecord } from '../streams/processor';
import { CATALOG_SOURCE } from '../topology/inventory.topology';

export interface CatalogEntry {
  index: number;
  productId: string | null;
  raw: Buffer;
}

/**
 * Reads the bootstrap catalog whole (one UTF-8 decode, unlike the original's 8 KiB chunks) and splits
 * it into one record per product, so the processor validates each on its own and one bad entry is
 * dead-lettered instead of dropping the whole catalog (F-FL-9). A missing or unparseable file is
 * logged and bootstraps nothing.
 */
export function readCatalog(file: string, logger: Logger): CatalogEntry[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    logger.error({ err: error, file }, 'catalog file unreadable; no catalog bootstrap');
    return [];
  }
  if (!Array.isArray(json)) {
    logger.error({ file }, 'catalog file is not a JSON array; no catalog bootstrap');
    return [];
  }
  return json.map((item: unknown, index) => {
    const id = (item as { productId?: unknown } | null)?.productId;
    return { index, productId: typeof id === 'string' ? id : null, raw: Buffer.from(JSON.stringify(item)) };
  });
}

/** The catalog records of one partition (entries without a productId go to partition 0, once). */
export function catalogRecordsFor(
  entries: readonly CatalogEntry[],
  partition: number,
  partitionCount: number,
  nowMs: number,
): InputRecord[] {
  return entries
    .filter((e) => (e.productId === null ? 0 : partitionForKey(e.productId, partitionCount)) === partition)
    .map((e) => ({
      topic: CATALOG_SOURCE,
      partition,
      offset: String(e.index),
      key: e.productId === null ? null : Buffer.from(e.productId),
      value: e.raw,
      timestampMs: nowMs,
      headers: {},
    }));
}

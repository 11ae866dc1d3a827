/**
 * A read_committed fix for kafkajs 2.2.4 (the last release), found by the chaos run (test/chaos).
 *
 * A read_committed fetch returns the partition's records up to the last stable offset plus the list of
 * aborted transactions in that range ({producerId, firstOffset}); the client must hide the records of
 * those transactions. kafkajs's filterAbortedMessages starts at most ONE aborted transaction per record
 * and expects the list sorted by firstOffset, but the broker lists them in the order they were aborted.
 * With several transactional producers on one partition (every processor task writes every output
 * topic) a killed processor's aborted transactions overlap, and kafkajs then hands out aborted records
 * (an order line RESERVED twice on `order-status`) and may hide committed ones of the same producer.
 *
 * The fix wraps Broker.fetch: for read_committed fetches it hides aborted records the way the Java
 * consumer does (Fetcher: aborted transactions ordered by first offset, a producer's records skipped
 * from its aborted transaction's first offset to its ABORT marker) and empties the list, so kafkajs's
 * own filter has nothing to do. Hidden records are flagged as control records: kafkajs drops those from
 * batch.messages but still counts their offsets, so the consumer moves past them.
 */

const READ_COMMITTED = 1;
const ABORT_MARKER_KEY = Buffer.from([0, 0, 0, 0]); // control record key: version 0, type 0 (ABORT)

export interface FetchedRecord {
  offset: string;
  key: Buffer | null;
  isControlRecord?: boolean;
  batchContext: { producerId: string; inTransaction: boolean };
}

export interface AbortedTransaction {
  producerId: string;
  firstOffset: string;
}

/** The offsets of the records of `records` (in offset order) that belong to aborted transactions. */
export function abortedRecordOffsets(
  records: readonly FetchedRecord[],
  aborted: readonly AbortedTransaction[],
): Set<string> {
  const pending = [...aborted].sort((a, b) => (BigInt(a.firstOffset) < BigInt(b.firstOffset) ? -1 : 1));
  const abortedProducers = new Set<string>();
  const hidden = new Set<string>();
  for (const record of records) {
    const offset = BigInt(record.offset);
    while (pending.length > 0 && BigInt(pending[0]!.firstOffset) <= offset) {
      abortedProducers.add(String(pending.shift()!.producerId));
    }
    const producerId = String(record.batchContext.producerId);
    if (record.isControlRecord) {
      if (record.key && ABORT_MARKER_KEY.equals(Buffer.from(record.key))) abortedProducers.delete(producerId);
      continue;
    }
    if (record.batchContext.inTransaction && abortedProducers.has(producerId)) hidden.add(record.offset);
  }
  return hidden;
}

interface FetchPartition {
  abortedTransactions?: AbortedTransaction[];
  messages: FetchedRecord[];
}

interface FetchResponse {
  responses: { partitions: FetchPartition[] }[];
}

/** Hides one fetched partition's aborted records (see the module comment). */
export function hideAbortedRecords(partition: FetchPartition): void {
  const aborted = partition.abortedTransactions ?? [];
  if (aborted.length === 0) return;
  const hidden = abortedRecordOffsets(partition.messages, aborted);
  for (const record of partition.messages) if (hidden.has(record.offset)) record.isControlRecord = true;
  partition.abortedTransactions = [];
}

const PATCHED = Symbol.for('kartshoppe.kafkajs.read-committed-fix');
export const PATCHED_KAFKAJS_VERSION = '2.2.4';

/** Installs the fix on kafkajs's Broker (once per loaded kafkajs; every client of it benefits). */
export function installReadCommittedFix(): void {
  // The patch reaches into kafkajs internals: refuse loudly on any other version instead of failing on
  // every fetch (re-run test/integration/kafka-read-committed.it.ts before moving the pin).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { version } = require('kafkajs/package.json') as { version: string };
  if (version !== PATCHED_KAFKAJS_VERSION) {
    throw new Error(
      `kafkajs ${version} is installed but the read_committed fix (services/runtime/src/read-committed.ts) was written for ${PATCHED_KAFKAJS_VERSION}: check whether it is still needed and adapt it`,
    );
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Broker = require('kafkajs/src/broker') as {
    prototype: { fetch: (args: { isolationLevel?: number }) => Promise<FetchResponse> } & Record<
      symbol,
      boolean
    >;
  };
  const proto = Broker.prototype;
  if (proto[PATCHED]) return;
  const fetch = proto.fetch;
  if (typeof fetch !== 'function')
    throw new Error('kafkajs Broker.fetch not found: the read_committed fix cannot be installed');
  proto.fetch = async function fetchReadCommitted(this: unknown, args: { isolationLevel?: number }) {
    const response = await fetch.call(this, args);
    if ((args.isolationLevel ?? READ_COMMITTED) === READ_COMMITTED) {
      for (const topic of response.responses)
        for (const partition of topic.partitions) hideAbortedRecords(partition);
    }
    return response;
  };
  proto[PATCHED] = true;
}

import {
  abortedRecordOffsets,
  hideAbortedRecords,
  installReadCommittedFix,
  PATCHED_KAFKAJS_VERSION,
  type FetchedRecord,
} from './read-committed';

const ABORT = Buffer.from([0, 0, 0, 0]);
const COMMIT = Buffer.from([0, 0, 0, 1]);

/** `A0` = data of producer A at offset 0; `A!` = A's ABORT marker, `A+` = its COMMIT marker; `n` = non-transactional. */
function log(...entries: string[]): FetchedRecord[] {
  return entries.map((e, offset) => {
    const producerId = e[0] === 'n' ? '-1' : e[0]!;
    const marker = e[1] === '!' ? ABORT : e[1] === '+' ? COMMIT : undefined;
    return {
      offset: String(offset),
      key: marker ?? Buffer.from(`k${offset}`),
      isControlRecord: marker !== undefined,
      batchContext: { producerId, inTransaction: e[0] !== 'n' },
    };
  });
}

const hidden = (records: FetchedRecord[], aborted: [string, number][]) =>
  [
    ...abortedRecordOffsets(
      records,
      aborted.map(([producerId, first]) => ({ producerId, firstOffset: String(first) })),
    ),
  ]
    .map(Number)
    .sort((a, b) => a - b);

describe('read_committed: records of aborted transactions are hidden (kafkajs 2.2.4 let them through)', () => {
  it('hides interleaved aborted transactions listed in abort order, not first-offset order', () => {
    // A starts, B starts, B aborts, A writes again, A aborts, C commits: the broker lists [B, A].
    const records = log('A', 'B', 'B!', 'A', 'A!', 'C', 'C+');
    expect(
      hidden(records, [
        ['B', 1],
        ['A', 0],
      ]),
    ).toEqual([0, 1, 3]);
  });

  it('hides transactions that began before the fetched range, several at once', () => {
    // The fetch starts at offset 0 while A and B (first offsets -5 and -3) are both still to be aborted.
    const records = log('A', 'B', 'n', 'A!', 'B', 'B!', 'n');
    expect(
      hidden(records, [
        ['A', -5],
        ['B', -3],
      ]),
    ).toEqual([0, 1, 4]);
  });

  it("keeps a producer's committed transaction after its aborted one", () => {
    const records = log('A', 'A!', 'B', 'A', 'B+', 'A+');
    expect(hidden(records, [['A', 0]])).toEqual([0]);
  });

  it('keeps non-transactional records, and a record whose key merely looks like an ABORT marker', () => {
    const records = log('A', 'n', 'A', 'A!');
    records[2]!.key = Buffer.from(ABORT); // data of the aborted producer: hidden anyway
    records.push({
      offset: '4',
      key: Buffer.from(ABORT),
      isControlRecord: false,
      batchContext: { producerId: 'C', inTransaction: true },
    });
    expect(hidden(records, [['A', 0]])).toEqual([0, 2]);
  });

  it('flags hidden records as control records (kafkajs skips them but counts their offsets) and empties the list', () => {
    const partition = {
      abortedTransactions: [{ producerId: 'A', firstOffset: '0' }],
      messages: log('A', 'B', 'A!', 'B+'),
    };
    hideAbortedRecords(partition);
    expect(partition.messages.map((m) => m.isControlRecord)).toEqual([true, false, true, true]);
    expect(partition.abortedTransactions).toEqual([]);
  });
});

describe('installReadCommittedFix', () => {
  it('installs once, on the kafkajs version it was written for', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Broker = require('kafkajs/src/broker') as { prototype: { fetch: unknown } };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { version } = require('kafkajs/package.json') as { version: string };
    expect(version).toBe(PATCHED_KAFKAJS_VERSION);
    installReadCommittedFix();
    const patched = Broker.prototype.fetch;
    expect((patched as { name: string }).name).toBe('fetchReadCommitted');
    installReadCommittedFix(); // a second install must not wrap the wrapper
    expect(Broker.prototype.fetch).toBe(patched);
  });
});

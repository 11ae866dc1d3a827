import { lsnFromBigInt, type Lsn } from '../lsn';
import type { OutputRecord } from '../mapping';
import { DeliveryQueue, type DeliveryItem } from './delivery-queue';

const lsn = (n: number): Lsn => lsnFromBigInt(BigInt(n));
const rec = (id: string, bytes = 10): OutputRecord => ({
  topic: 't',
  key: null,
  value: id.padEnd(bytes, '.'),
});
const item = (confirm: number, ...ids: string[]): DeliveryItem => ({
  records: ids.map((id) => rec(id)),
  confirmLsn: lsn(confirm),
  commitTimeMs: ids.length ? 1 : null,
});

/** Drains the queue like the Kafka adapter does; returns the chunks (as ids) and positions confirmed after each. */
function drain(q: DeliveryQueue, limits = { maxRecords: 1000, maxBytes: 1_000_000 }) {
  const log: { sent: string[]; confirmed: Lsn | null }[] = [];
  for (let chunk = q.nextChunk(limits); chunk; chunk = q.nextChunk(limits)) {
    const done = q.acknowledge(chunk);
    log.push({
      sent: chunk.records.map((r) => r.value.replace(/\.+$/, '')),
      confirmed: done.length ? done[done.length - 1].confirmLsn : null,
    });
  }
  return log;
}

describe('DeliveryQueue', () => {
  it('sends several small transactions in one request, in commit order, and confirms the last one', () => {
    const q = new DeliveryQueue();
    q.enqueue(item(10, 'a1', 'a2'));
    q.enqueue(item(20, 'b1'));
    expect(q.bufferedRecords).toBe(3);
    expect(drain(q)).toEqual([{ sent: ['a1', 'a2', 'b1'], confirmed: lsn(20) }]);
    expect(q.isEmpty).toBe(true);
    expect(q.bufferedRecords).toBe(0);
  });

  it('a large transaction spans several requests and is confirmed only after its last record', () => {
    const q = new DeliveryQueue();
    q.enqueue(item(10, 'a1', 'a2', 'a3', 'a4', 'a5'));
    q.enqueue(item(20, 'b1'));
    expect(drain(q, { maxRecords: 2, maxBytes: 1e6 })).toEqual([
      { sent: ['a1', 'a2'], confirmed: null },
      { sent: ['a3', 'a4'], confirmed: null },
      { sent: ['a5', 'b1'], confirmed: lsn(20) },
    ]);
  });

  it('limits a request by bytes, but always sends at least one record', () => {
    const q = new DeliveryQueue();
    q.enqueue({
      records: [rec('big', 500), rec('x', 10), rec('y', 10)],
      confirmLsn: lsn(5),
      commitTimeMs: 1,
    });
    expect(drain(q, { maxRecords: 100, maxBytes: 100 })).toEqual([
      { sent: ['big'], confirmed: null },
      { sent: ['x', 'y'], confirmed: lsn(5) },
    ]);
  });

  it('a keep-alive checkpoint behind an undelivered transaction waits for it (never confirms past it)', () => {
    const q = new DeliveryQueue();
    q.enqueue(item(10, 'a1', 'a2', 'a3'));
    q.enqueue(item(99)); // keep-alive wal end, received after the transaction
    const first = q.nextChunk({ maxRecords: 2, maxBytes: 1e6 })!;
    expect(q.acknowledge(first)).toEqual([]);
    const second = q.nextChunk({ maxRecords: 2, maxBytes: 1e6 })!;
    expect(second.records.map((r) => r.value.replace(/\.+$/, ''))).toEqual(['a3']);
    expect(q.acknowledge(second).map((i) => i.confirmLsn)).toEqual([lsn(10), lsn(99)]);
  });

  it('a lone keep-alive checkpoint is confirmable at once (an empty request)', () => {
    const q = new DeliveryQueue();
    q.enqueue(item(42));
    expect(drain(q)).toEqual([{ sent: [], confirmed: lsn(42) }]);
  });

  it('an unacknowledged chunk (Kafka failed) confirms nothing and keeps the records buffered', () => {
    const q = new DeliveryQueue();
    q.enqueue(item(10, 'a1'));
    expect(q.nextChunk({ maxRecords: 10, maxBytes: 1e6 })?.records).toHaveLength(1);
    expect(q.bufferedRecords).toBe(1);
    expect(q.isEmpty).toBe(false);
  });

  it('nextChunk on an empty queue is null', () => {
    expect(new DeliveryQueue().nextChunk({ maxRecords: 1, maxBytes: 1 })).toBeNull();
  });

  it('1,000 transactions of 7 records, 64 per request: every record once, in order, confirmations monotonic', () => {
    const q = new DeliveryQueue();
    const expected: string[] = [];
    for (let t = 1; t <= 1000; t++) {
      const ids = Array.from({ length: 7 }, (_, i) => `${t}-${i}`);
      expected.push(...ids);
      q.enqueue(item(t, ...ids));
    }
    const log = drain(q, { maxRecords: 64, maxBytes: 1e6 });
    expect(log.flatMap((l) => l.sent)).toEqual(expected);
    const confirmed = log.map((l) => l.confirmed).filter((c): c is Lsn => c !== null);
    expect([...confirmed].sort((a, b) => (a < b ? -1 : 1))).toEqual(confirmed);
    expect(confirmed[confirmed.length - 1]).toBe(lsn(1000));
  });
});

/**
 * The CDC worker's delivery guarantees across restarts, crashes and connection loss, against real
 * Postgres and Kafka: nothing committed is lost, duplicates carry the same eventId, a new slot does not
 * replay history and a restarted one does not replay what it confirmed.
 */
import type { Pool } from 'pg';
import { orderItemEventId } from '@kartshoppe/contracts';
import { waitFor } from '../../../test/support/infra';
import {
  Collector,
  deleteTopics,
  dropSlot,
  insertOrder,
  lines,
  lsnCompare,
  orderId,
  pgPool,
  slotRow,
  startWorker,
  uniqueSlot,
  uniqueTopics,
  type WorkerHandle,
  type WorkerTopics,
} from './cdc.harness';

jest.setTimeout(120_000);

describe('cdc-worker recovery', () => {
  let pool: Pool;
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(() => {
    pool = pgPool();
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
  });
  afterAll(async () => {
    await pool.end();
  });

  /** A fresh slot + topics; everything started through it is stopped and dropped after the test. */
  function fixture(name: string) {
    const slot = uniqueSlot(name);
    const topics = uniqueTopics(name.replace(/_/g, '-'));
    const workers: WorkerHandle[] = [];
    cleanups.push(async () => {
      for (const w of workers) await w.kill();
      await dropSlot(pool, slot);
      await deleteTopics(topics);
    });
    return {
      slot,
      topics,
      async start(env: Record<string, string> = {}, options = {}) {
        const w = await startWorker(slot, topics, env, options);
        workers.push(w);
        return w;
      },
      async collector() {
        const c = await Collector.start(allTopics(topics));
        cleanups.push(() => c.stop());
        return c;
      },
    };
  }

  it('F-CDC-2 / F-CDC-1: a new slot starts now (no replay); a restarted worker resumes where it confirmed', async () => {
    const f = fixture('cdc_resume');
    const before = orderId('OLD');
    await insertOrder(pool, before, 'cdc', lines(2)); // committed before the slot exists
    const first = await f.start();
    const out = await f.collector();
    const during = orderId('RUN1');
    await insertOrder(pool, during, 'cdc', lines(2));
    const [envelope] = await out.waitCount(f.topics.orders, during, 1);
    await out.waitCount(f.topics.orderEvents, during, 2);

    // SIGTERM: finishes delivery, confirms, exits 0; the slot is past the delivered commit.
    expect(await first.stop()).toEqual({ code: 0, signal: null });
    const row = await slotRow(pool, f.slot);
    expect(await lsnCompare(pool, row!.confirmedFlushLsn, envelope.json.source.lsn)).toBeGreaterThan(0);

    const whileDown = orderId('DOWN');
    await insertOrder(pool, whileDown, 'cdc', lines(3));
    await f.start();
    const after = orderId('RUN2');
    await insertOrder(pool, after, 'cdc', lines(1));
    await out.waitCount(f.topics.orderEvents, after, 1);

    expect(out.of(f.topics.orderEvents, whileDown)).toHaveLength(3); // placed while down: not lost
    expect(out.of(f.topics.orderEvents, during)).toHaveLength(2); // confirmed: not replayed
    expect(out.of(f.topics.orderEvents, before)).toEqual([]); // before the slot: never replayed
    expect(out.of(f.topics.orders, before)).toEqual([]);
  });

  it('kill -9 after Kafka acknowledged but before the LSN was confirmed: redelivered, same eventIds, none lost', async () => {
    const f = fixture('cdc_crash');
    // Create the slot, then stop: the order below is the first thing the crashing worker streams.
    await (await f.start()).stop();
    const id = orderId('CRASH');
    const orderLines = lines(4);
    await insertOrder(pool, id, 'cdc', orderLines);

    // Fault injection: produce, then SIGKILL itself before confirming (CDC_CRASH_AFTER_COMMIT_BEFORE_ACK).
    const crashing = await f.start({ CDC_CRASH_AFTER_COMMIT_BEFORE_ACK: '1' }, { waitConnected: false });
    expect(await crashing.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const out = await f.collector();
    const beforeRestart = await out.waitCount(f.topics.orderEvents, id, orderLines.length);
    const [envelope] = await out.waitCount(f.topics.orders, id, 1);
    // Never past an undelivered (= unconfirmed) transaction: the slot still points before its commit.
    const confirmedAfterCrash = (await slotRow(pool, f.slot))!.confirmedFlushLsn;
    expect(await lsnCompare(pool, confirmedAfterCrash, envelope.json.source.lsn)).toBeLessThanOrEqual(0);

    await f.start();
    const events = await out.waitCount(f.topics.orderEvents, id, 2 * orderLines.length);
    expect(beforeRestart.length).toBe(orderLines.length);
    // Every line twice, each copy with the same eventId and content: the processor applies it once.
    for (const line of orderLines) {
      const copies = events.filter((e) => e.json.productId === line.productId).map((e) => e.json);
      expect(copies).toHaveLength(2);
      expect(copies[0]).toEqual(copies[1]);
      expect(copies[0].eventId).toBe(orderItemEventId(id, line.productId));
    }
    await waitFor('the slot to confirm the redelivered transaction', async () => {
      const row = await slotRow(pool, f.slot);
      return (await lsnCompare(pool, row!.confirmedFlushLsn, envelope.json.source.lsn)) > 0;
    });
  });

  it('connection loss (walsender terminated; infra.sh cannot restart Postgres) → reconnects, nothing lost', async () => {
    const f = fixture('cdc_reconnect');
    const worker = await f.start();
    const out = await f.collector();
    const first = orderId('PRE');
    await insertOrder(pool, first, 'cdc', lines(2));
    await out.waitCount(f.topics.orderEvents, first, 2);

    // pg_terminate_backend on the slot's walsender: what a Postgres restart or network cut does to the stream.
    const oldPid = (await slotRow(pool, f.slot))!.activePid;
    expect(oldPid).not.toBeNull();
    await pool.query('SELECT pg_terminate_backend($1)', [oldPid]);
    const during = Array.from({ length: 5 }, () => orderId('GAP'));
    for (const id of during) await insertOrder(pool, id, 'cdc', lines(2));

    await waitFor('a new walsender on the slot', async () => {
      const pid = (await slotRow(pool, f.slot))?.activePid;
      return pid != null && pid !== oldPid;
    });
    for (const id of during) {
      const events = await out.waitCount(f.topics.orderEvents, id, 2);
      expect(new Set(events.map((e) => e.json.eventId)).size).toBe(2);
    }
    expect(out.of(f.topics.orderEvents, first).length).toBeGreaterThanOrEqual(2);
    expect((await worker.health())?.connected).toBe(true);
    const metrics = await (await fetch(`http://127.0.0.1:${worker.port}/metrics`)).text();
    expect(metrics).toMatch(/cdc_reconnects_total\{component="cdc-worker"\} [1-9]/);
  });
});

function allTopics(t: WorkerTopics): string[] {
  return [t.orderEvents, t.orders, t.orderItems, t.deadLetters];
}

/**
 * The CDC worker against real Postgres 15 (pgoutput) and Kafka: what it publishes for checkouts, order
 * changes and big transactions, and how its slot advances. One worker, its own slot and topics.
 */
import { OrderItemEventSchema, CdcEnvelopeSchema, orderItemEventId } from '@kartshoppe/contracts';
import type { Pool } from 'pg';
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
} from './cdc.harness';

jest.setTimeout(90_000);

describe('cdc-worker flow', () => {
  const slot = uniqueSlot('cdc_flow');
  const topics = uniqueTopics('cdc-flow');
  let pool: Pool;
  let worker: WorkerHandle;
  let out: Collector;

  beforeAll(async () => {
    pool = pgPool();
    worker = await startWorker(slot, topics);
    out = await Collector.start([topics.orderEvents, topics.orders, topics.orderItems, topics.deadLetters]);
  });

  afterAll(async () => {
    await out?.stop();
    await worker?.stop();
    await dropSlot(pool, slot).catch(() => undefined);
    await deleteTopics(topics).catch(() => undefined);
    await pool?.end();
  });

  it('a cdc-mode order yields exactly the order events a direct publish would (same fields, source cdc)', async () => {
    const id = orderId('CDC');
    const orderLines = lines(3);
    await insertOrder(pool, id, 'cdc', orderLines);
    const events = await out.waitCount(topics.orderEvents, id, 3);
    // The API's direct publish: one record per line, keyed by productId, eventId orderId:productId.
    expect(events.map((e) => e.key).sort()).toEqual(orderLines.map((l) => l.productId));
    for (const e of events) {
      const line = orderLines.find((l) => l.productId === e.key)!;
      expect(OrderItemEventSchema.parse(e.json)).toEqual(e.json);
      expect(e.json).toEqual({
        eventId: orderItemEventId(id, line.productId),
        orderId: id,
        productId: line.productId,
        quantity: line.quantity,
        timestamp: expect.any(Number),
        source: 'cdc',
      });
    }
    // Every change also reached its envelope topic; prices are the exact NUMERIC text.
    const items = await out.waitCount(topics.orderItems, id, 3);
    expect(items.map((r) => r.json.after.unit_price).sort()).toEqual(
      orderLines.map((l) => l.unitPrice).sort(),
    );
    expect(Math.abs(events[0].json.timestamp - Date.now())).toBeLessThan(60_000);
  });

  it('F-C-1: a direct-mode order yields no order event from the worker (only its envelopes)', async () => {
    const direct = orderId('DIRECT');
    const marker = orderId('MARKER');
    await insertOrder(pool, direct, 'direct', lines(2));
    await insertOrder(pool, marker, 'cdc', lines(1));
    // The marker committed after the direct order: once its event is in Kafka, so would the direct one's be.
    await out.waitCount(topics.orderEvents, marker, 1);
    await out.waitCount(topics.orderItems, direct, 2);
    expect(out.of(topics.orderEvents, direct)).toEqual([]);
  });

  it('cdc.public.orders holds the full before/after of an UPDATE and the before of a DELETE', async () => {
    const id = orderId('UPD');
    await insertOrder(pool, id, 'direct', lines(1));
    await pool.query(`UPDATE orders SET status = 'CONFIRMED', total = '16.80' WHERE order_id = $1`, [id]);
    await pool.query('DELETE FROM orders WHERE order_id = $1', [id]);
    const changes = await out.waitCount(topics.orders, id, 3);
    for (const c of changes) expect(CdcEnvelopeSchema.parse(c.json)).toBeTruthy();
    expect(changes.map((c) => c.json.op)).toEqual(['c', 'u', 'd']);
    expect(new Set(changes.map((c) => c.key))).toEqual(new Set([id]));
    const [, update, del] = changes.map((c) => c.json);
    expect(update.before).toMatchObject({
      order_id: id,
      status: 'PENDING',
      total: '16.79',
      publish_mode: 'direct',
    });
    expect(update.after).toMatchObject({ order_id: id, status: 'CONFIRMED', total: '16.80' });
    expect(del.before).toMatchObject({ order_id: id, status: 'CONFIRMED', total: '16.80' });
    expect(del.after).toBeNull();
    expect(update.source).toMatchObject({
      connector: 'kartshoppe-cdc-worker',
      schema: 'public',
      table: 'orders',
    });
    // The cascade deleted the line too, and no deletion ever makes an order event.
    await out.waitCount(topics.orderItems, id, 2);
    expect(out.of(topics.orderEvents, id)).toEqual([]);
  });

  it('a 1,000-item transaction arrives complete, in order, as one transaction', async () => {
    const id = orderId('BIG');
    const big = lines(1000, 'BIG_');
    await insertOrder(pool, id, 'cdc', big);
    const events = await out.waitCount(topics.orderEvents, id, 1000, 60_000);
    expect(events).toHaveLength(1000);
    expect(new Set(events.map((e) => e.json.eventId)).size).toBe(1000);
    const items = await out.waitCount(topics.orderItems, id, 1000);
    // One commit: one LSN and txId. Within each partition, lines keep their insertion (id) order.
    expect(new Set(items.map((r) => `${r.json.source.lsn}/${r.json.source.txId}`)).size).toBe(1);
    const byPartition = new Map<number, number[]>();
    for (const r of items)
      byPartition.set(r.partition, [...(byPartition.get(r.partition) ?? []), Number(r.key)]);
    for (const ids of byPartition.values()) expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const eventsByPartition = new Map<number, string[]>();
    for (const e of events)
      eventsByPartition.set(e.partition, [...(eventsByPartition.get(e.partition) ?? []), e.key!]);
    for (const keys of eventsByPartition.values()) expect(keys).toEqual([...keys].sort());
  });

  it('the slot confirms each delivered transaction, and advances while idle (heartbeat)', async () => {
    const id = orderId('ACK');
    await insertOrder(pool, id, 'cdc', lines(1));
    const [envelope] = await out.waitCount(topics.orders, id, 1);
    const commitLsn: string = envelope.json.source.lsn.replace(/^0+(?=[0-9A-F])/, '');
    await waitFor('the slot to confirm past the delivered commit', async () => {
      const row = await slotRow(pool, slot);
      return row !== null && (await lsnCompare(pool, row.confirmedFlushLsn, commitLsn)) > 0;
    });
    // Idle: WAL written outside the publication still moves the slot (it would otherwise pin WAL forever).
    const { rows } = await pool.query<{ lsn: string }>(
      `SELECT pg_logical_emit_message(false, 'cdc-it', 'not captured')::text AS lsn`,
    );
    await waitFor('the idle slot to confirm past unrelated WAL', async () => {
      const row = await slotRow(pool, slot);
      return row !== null && (await lsnCompare(pool, row.confirmedFlushLsn, rows[0].lsn)) > 0;
    });
    const health = await worker.health();
    expect(health).toMatchObject({ component: 'cdc-worker', status: 'up', connected: true, slotName: slot });
    expect(health!.slotLagBytes).toBeLessThan(1024 * 1024);
    expect(health!.eventsPublished).toBeGreaterThanOrEqual(1);
    const metrics = await (await fetch(`http://127.0.0.1:${worker.port}/metrics`)).text();
    expect(metrics).toMatch(/cdc_transactions_total\{component="cdc-worker"\} \d+/);
    expect(metrics).toMatch(/cdc_slot_lag_bytes/);
  });
});

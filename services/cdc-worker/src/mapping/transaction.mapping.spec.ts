import { DeadLetterHeadersSchema, TOPICS } from '@kartshoppe/contracts';
import { MAX_RECORD_PAYLOAD_BYTES } from '@kartshoppe/runtime';
import { lsnFromBigInt, parseLsn } from '../lsn';
import { change, orderItemRow, orderRow, tx } from './mapping.fixtures';
import { mapTransaction } from './transaction.mapping';

const NOW = 1_767_225_700_000;

function checkoutTx(mode: 'cdc' | 'direct', products = ['PROD_0001', 'PROD_0002']) {
  return tx([
    change({ table: 'orders', primaryKey: ['order_id'], after: orderRow({ publish_mode: mode }) }),
    ...products.map((productId, i) =>
      change({
        lsn: lsnFromBigInt(0x16b3750n + BigInt(i)),
        after: orderItemRow({ order_item_id: String(41 + i), product_id: productId, publish_mode: mode }),
      }),
    ),
  ]);
}

describe('mapTransaction', () => {
  it('a cdc-mode checkout: every change to its envelope topic, each line one order event, in commit order', () => {
    const mapped = mapTransaction(checkoutTx('cdc'), NOW);
    expect(mapped.records.map((r) => [r.topic, r.key])).toEqual([
      ['cdc.public.orders', 'ORD-1'],
      ['cdc.public.order_items', '41'],
      [TOPICS.orderEvents, 'PROD_0001'],
      ['cdc.public.order_items', '42'],
      [TOPICS.orderEvents, 'PROD_0002'],
    ]);
    expect(mapped).toMatchObject({ orderEvents: 2, deadLetters: 0 });
    const events = mapped.records
      .filter((r) => r.topic === TOPICS.orderEvents)
      .map((r) => JSON.parse(r.value));
    expect(events.map((e) => e.eventId)).toEqual(['ORD-1:PROD_0001', 'ORD-1:PROD_0002']);
  });

  it('F-C-1: a direct-mode checkout yields its envelopes but no order event', () => {
    const mapped = mapTransaction(checkoutTx('direct'), NOW);
    expect(mapped.records.map((r) => r.topic)).toEqual([
      'cdc.public.orders',
      'cdc.public.order_items',
      'cdc.public.order_items',
    ]);
    expect(mapped.orderEvents).toBe(0);
  });

  it('the same transaction mapped twice (redelivery) gives identical records, so duplicates carry the same eventId', () => {
    expect(mapTransaction(checkoutTx('cdc'), NOW)).toEqual(mapTransaction(checkoutTx('cdc'), NOW));
  });

  it('F-FL-4: a row too big for one Kafka record is dead-lettered, cut to fit; the rest goes on', () => {
    const huge = change({
      table: 'orders',
      primaryKey: ['order_id'],
      after: orderRow({ shipping_address: JSON.stringify({ note: 'x'.repeat(1_100_000) }) }),
    });
    const line = change({ after: orderItemRow({ order_item_id: '79', product_id: 'PROD_0004' }) });
    const mapped = mapTransaction(tx([huge, line]), NOW);
    expect(mapped.records.map((r) => r.topic)).toEqual([
      TOPICS.deadLetters,
      'cdc.public.order_items',
      TOPICS.orderEvents,
    ]);
    const dead = mapped.records[0]!;
    expect(Buffer.byteLength(dead.value)).toBeLessThanOrEqual(MAX_RECORD_PAYLOAD_BYTES);
    expect(dead.headers!['dlq.error']).toMatch(/^truncated .*too big for one Kafka record/);
  });

  it('an unmappable line goes to dead-letters with origin headers; the rest of the transaction goes on', () => {
    const bad = change({
      lsn: parseLsn('1/10'),
      after: orderItemRow({ order_item_id: '77', product_id: 'PROD_0009', quantity: 0 }),
    });
    const good = change({ after: orderItemRow({ order_item_id: '78', product_id: 'PROD_0003' }) });
    const mapped = mapTransaction(tx([bad, good]), NOW);
    expect(mapped.records.map((r) => r.topic)).toEqual([
      'cdc.public.order_items',
      TOPICS.deadLetters,
      'cdc.public.order_items',
      TOPICS.orderEvents,
    ]);
    const dlq = mapped.records[1];
    expect(dlq.key).toBe('77');
    expect(DeadLetterHeadersSchema.parse(dlq.headers)).toEqual({
      'dlq.origin.topic': 'public.order_items',
      'dlq.origin.partition': '0',
      'dlq.origin.offset': String((1n << 32n) + 16n),
      'dlq.error': expect.stringMatching(/quantity/),
      'dlq.component': 'cdc-worker',
      'dlq.failed-at-ms': String(NOW),
    });
    expect(JSON.parse(dlq.value)).toMatchObject({ op: 'c', after: { order_item_id: '77', quantity: 0 } });
    expect(mapped).toMatchObject({ orderEvents: 1, deadLetters: 1 });
  });

  it('a change whose envelope cannot be built is dead-lettered with its raw images', () => {
    const keyless = change({ table: 'orders', primaryKey: [], after: orderRow() });
    const mapped = mapTransaction(tx([keyless]), NOW);
    expect(mapped.records).toHaveLength(1);
    expect(mapped.records[0]).toMatchObject({ topic: TOPICS.deadLetters, key: null });
    expect(mapped.records[0].headers?.['dlq.error']).toBe('table orders has no primary key');
    expect(JSON.parse(mapped.records[0].value)).toMatchObject({ after: { order_id: 'ORD-1' } });
  });

  it('an empty transaction maps to nothing', () => {
    expect(mapTransaction(tx([]), NOW)).toEqual({ records: [], orderEvents: 0, deadLetters: 0 });
  });

  it('a 1,000-line transaction keeps line order', () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `PROD_${String(i).padStart(4, '0')}`);
    const events = mapTransaction(checkoutTx('cdc', lines), NOW)
      .records.filter((r) => r.topic === TOPICS.orderEvents)
      .map((r) => r.key);
    expect(events).toEqual(lines);
  });
});

describe('mapTransaction with other output topics (tests give each worker its own)', () => {
  it('routes envelopes, order events and dead letters to the configured topics', () => {
    const topics = {
      orderEvents: 't1.order-events',
      deadLetters: 't1.dead-letters',
      envelopePrefix: 't1.cdc',
    };
    const bad = change({ after: orderItemRow({ order_item_id: '9', quantity: 0 }) });
    const mapped = mapTransaction(tx([...checkoutTx('cdc', ['PROD_0001']).changes, bad]), NOW, topics);
    expect(mapped.records.map((r) => r.topic)).toEqual([
      't1.cdc.public.orders',
      't1.cdc.public.order_items',
      't1.order-events',
      't1.cdc.public.order_items',
      't1.dead-letters',
    ]);
  });
});

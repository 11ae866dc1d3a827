import { CdcEnvelopeSchema } from '@kartshoppe/contracts';
import { parseLsn } from '../lsn';
import { changeEnvelope, envelopeRecord, primaryKeyOf } from './change-envelope.mapping';
import { COMMIT_TIME_MS, change, orderItemRow, orderRow, tx } from './mapping.fixtures';

describe('changeEnvelope', () => {
  const cases = [
    {
      what: 'INSERT → op c, before null',
      change: change(),
      op: 'c',
      before: null,
      after: orderItemRow(),
    },
    {
      what: 'UPDATE → op u, full before and after (REPLICA IDENTITY FULL)',
      change: change({
        table: 'orders',
        op: 'update',
        primaryKey: ['order_id'],
        before: orderRow(),
        after: orderRow({ status: 'CONFIRMED' }),
      }),
      op: 'u',
      before: orderRow(),
      after: orderRow({ status: 'CONFIRMED' }),
    },
    {
      what: 'DELETE → op d, after null',
      change: change({
        table: 'orders',
        op: 'delete',
        primaryKey: ['order_id'],
        before: orderRow(),
        after: null,
      }),
      op: 'd',
      before: orderRow(),
      after: null,
    },
    {
      what: 'UPDATE without an old image → before null',
      change: change({ op: 'update', before: null, after: orderItemRow({ status: 'RESERVED' }) }),
      op: 'u',
      before: null,
      after: orderItemRow({ status: 'RESERVED' }),
    },
  ] as const;

  it.each(cases)('$what', ({ change: c, op, before, after }) => {
    const result = changeEnvelope(c, tx([c]));
    expect(result).toEqual({
      ok: true,
      value: {
        before,
        after,
        source: {
          connector: 'kartshoppe-cdc-worker',
          lsn: '00000000/016B3800',
          txId: 750,
          schema: 'public',
          table: c.table,
          ts_ms: COMMIT_TIME_MS,
        },
        op,
        ts_ms: COMMIT_TIME_MS,
      },
    });
    expect(CdcEnvelopeSchema.safeParse(result.ok && result.value).success).toBe(true);
  });

  it('keeps NUMERIC values as their exact strings (no float rounding of prices)', () => {
    const c = change({ after: orderItemRow({ unit_price: '1234567890.10', line_total: '0.30' }) });
    const result = envelopeRecord(c, tx([c]));
    expect(result.ok && JSON.parse(result.value.value).after).toMatchObject({
      unit_price: '1234567890.10',
      line_total: '0.30',
    });
  });

  it('source.lsn is the commit LSN, upper case and zero padded, even past 32 bits', () => {
    const c = change();
    const result = changeEnvelope(c, tx([c], { commitLsn: parseLsn('1a/ff') }));
    expect(result.ok && result.value.source.lsn).toBe('0000001A/000000FF');
  });

  it('refuses a value the contract does not allow (a row image with an object value)', () => {
    const c = change({ after: { ...orderItemRow(), shipping_address: { city: 'X' } as never } });
    expect(changeEnvelope(c, tx([c]))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^envelope: after/),
    });
  });

  it('refuses a negative transaction id', () => {
    const c = change();
    expect(changeEnvelope(c, tx([c], { txId: -1 }))).toMatchObject({ ok: false });
  });
});

describe('envelopeRecord', () => {
  it.each([
    ['order_items → cdc.public.order_items keyed by order_item_id', change(), 'cdc.public.order_items', '41'],
    [
      'orders → cdc.public.orders keyed by order_id',
      change({ table: 'orders', primaryKey: ['order_id'], after: orderRow() }),
      'cdc.public.orders',
      'ORD-1',
    ],
    [
      'a DELETE is keyed from its before image',
      change({ table: 'orders', op: 'delete', primaryKey: ['order_id'], before: orderRow(), after: null }),
      'cdc.public.orders',
      'ORD-1',
    ],
  ])('%s', (_what, c, topic, key) => {
    const result = envelopeRecord(c, tx([c]));
    expect(result).toMatchObject({ ok: true, value: { topic, key } });
    expect(CdcEnvelopeSchema.safeParse(JSON.parse(result.ok ? result.value.value : '')).success).toBe(true);
  });
});

describe('primaryKeyOf', () => {
  it.each([
    ['a single column', ['order_id'], orderRow(), { ok: true, value: 'ORD-1' }],
    ['a numeric single column', ['publish_attempts'], orderRow(), { ok: true, value: '0' }],
    [
      'a composite key as JSON',
      ['order_id', 'session_id'],
      orderRow(),
      { ok: true, value: '{"order_id":"ORD-1","session_id":"S-1"}' },
    ],
    [
      'a table without a primary key',
      [],
      orderRow(),
      { ok: false, error: 'table orders has no primary key' },
    ],
    [
      'a null key value',
      ['idempotency_key'],
      orderRow(),
      { ok: false, error: 'primary key column idempotency_key is missing' },
    ],
    [
      'a missing key column',
      ['nope'],
      orderRow(),
      { ok: false, error: 'primary key column nope is missing' },
    ],
  ])('%s', (_what, primaryKey, row, expected) => {
    expect(primaryKeyOf(change({ table: 'orders', primaryKey, after: row }))).toEqual(expected);
  });
});

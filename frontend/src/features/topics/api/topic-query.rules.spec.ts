import {
  DEFAULT_BROWSE_FORM,
  buildProduceRequest,
  buildReadQuery,
  filterProblem,
  normaliseFilter,
} from './topic-query.rules';

const form = (over: Partial<typeof DEFAULT_BROWSE_FORM>) => ({
  ...DEFAULT_BROWSE_FORM,
  topics: ['order-events'],
  ...over,
});

describe('topics filter input', () => {
  it.each([
    ['.value.productId == “PROD_0001”', '.value.productId == "PROD_0001"'],
    ['  .value.productId == "PROD_0001"  ', '.value.productId == "PROD_0001"'],
    ['.key == ‘x’', ".key == 'x'"],
  ])('normalises %p', (input, expected) => {
    expect(normaliseFilter(input)).toBe(expected);
  });

  it.each([
    ['.value.productId == "PROD_0001"', null],
    ['.value.tags[0] == "a"', null],
    ['select(.value.inventory < 10)', null],
    ['.value.name == "a)b"', null],
    ['.value.name == "escaped \\" quote"', null],
    ['.value.productId == "PROD_0001', 'a string is not closed (missing ")'],
    ['select(.value.inventory < 10', '"(" is not closed'],
    ['.value.tags[0] == "a")', 'unexpected ")" at position 22'],
  ])('filterProblem(%p) = %p', (filter, problem) => {
    expect(filterProblem(filter)).toBe(problem);
  });
});

describe('buildReadQuery', () => {
  it('joins several topics and passes the normalised filter', () => {
    const r = buildReadQuery(
      form({
        topics: ['order-events', 'inventory-events'],
        from: 'earliest',
        filter: '.value.productId == “PROD_0001”',
      }),
    );
    expect(r).toEqual({
      ok: true,
      value: {
        topics: 'order-events,inventory-events',
        from: 'earliest',
        filter: '.value.productId == "PROD_0001"',
        limit: 50,
      },
    });
  });

  it('reads from an offset of one partition', () => {
    expect(buildReadQuery(form({ from: 'offset', offset: ' 42 ', partition: '3' }))).toEqual({
      ok: true,
      value: { topics: 'order-events', from: 'offset', offset: '42', partition: 3, limit: 50 },
    });
  });

  it('turns a local date-time into epoch milliseconds', () => {
    const r = buildReadQuery(form({ from: 'timestamp', time: '2026-01-02T03:04' }), () => 1_767_323_040_000);
    expect(r).toMatchObject({ ok: true, value: { from: 'timestamp', timestampMs: 1_767_323_040_000 } });
  });

  it('names every wrong field at once and sends nothing', () => {
    const r = buildReadQuery(
      form({
        topics: [],
        from: 'offset',
        offset: '-1',
        partition: 'x',
        filter: '.value.a == "b',
        limit: '0',
      }),
    );
    expect(r).toEqual({
      ok: false,
      errors: {
        topics: 'choose at least one topic',
        offset: 'offset must be a whole number ≥ 0',
        partition: 'partition must be a whole number ≥ 0',
        filter: 'a string is not closed (missing ")',
        limit: 'limit must be between 1 and 500',
      },
    });
  });

  it('asks for a time when reading from a timestamp without one', () => {
    expect(buildReadQuery(form({ from: 'timestamp', time: '' }))).toEqual({
      ok: false,
      errors: { time: 'choose a date and time' },
    });
  });

  it('ignores offset and time fields that do not apply', () => {
    expect(buildReadQuery(form({ from: 'latest', offset: 'junk', time: 'junk' }))).toMatchObject({
      ok: true,
    });
  });
});

describe('buildProduceRequest', () => {
  it('accepts the workshop patch with a key and headers', () => {
    expect(
      buildProduceRequest({
        topic: 'product-updates',
        key: 'PROD_0001',
        value: '{"productId":"PROD_0001","inventory":10}',
        headers: '{"source":"workshop","n":1}',
      }),
    ).toEqual({
      ok: true,
      value: {
        topic: 'product-updates',
        body: {
          key: 'PROD_0001',
          value: { productId: 'PROD_0001', inventory: 10 },
          headers: { source: 'workshop', n: '1' },
        },
      },
    });
  });

  it('straightens smart quotes in pasted JSON and sends an empty key as null', () => {
    expect(
      buildProduceRequest({
        topic: 'product-updates',
        key: ' ',
        value: '{“productId”:“PROD_0001”}',
        headers: '',
      }),
    ).toEqual({
      ok: true,
      value: { topic: 'product-updates', body: { key: null, value: { productId: 'PROD_0001' } } },
    });
  });

  it('rejects invalid JSON and non-object headers', () => {
    const r = buildProduceRequest({ topic: '', key: '', value: '{inventory:10}', headers: '["a"]' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.errors).sort()).toEqual(['headers', 'topic', 'value']);
    expect(r.errors.value).toMatch(/^value is not valid JSON/);
  });
});

import {
  describeHttpError,
  envFileSetting,
  formatResult,
  parseTopicsArgs,
  resolveSettings,
  toHttpRequest,
  UsageError,
} from './topics-cli';

const API = 'http://127.0.0.1:8081';

describe('topics CLI: parsing', () => {
  it('list', () => {
    expect(parseTopicsArgs(['list'])).toEqual({ kind: 'list' });
  });

  it('tail defaults to the earliest records, 50 at most', () => {
    expect(parseTopicsArgs(['tail', 'order-events'])).toEqual({
      kind: 'tail',
      topics: ['order-events'],
      filter: undefined,
      from: 'earliest',
      timestampMs: undefined,
      limit: 50,
    });
  });

  it('tail with the workshop filter over two topics (README step "trace a purchase")', () => {
    const cmd = parseTopicsArgs([
      'tail',
      'order-events,inventory-events',
      '--filter',
      '.value.productId == "PROD_0001"',
      '--limit=10',
    ]);
    expect(cmd).toMatchObject({
      kind: 'tail',
      topics: ['order-events', 'inventory-events'],
      filter: '.value.productId == "PROD_0001"',
      limit: 10,
    });
  });

  it.each([
    ['latest', 'latest', undefined],
    ['earliest', 'earliest', undefined],
    ['1700000000000', 'timestamp', 1_700_000_000_000],
  ])('tail --from %s', (arg, from, timestampMs) => {
    expect(parseTopicsArgs(['tail', 'products', '--from', arg])).toMatchObject({ from, timestampMs });
  });

  it('produce parses the value as JSON and collects headers', () => {
    expect(
      parseTopicsArgs([
        'produce',
        'product-updates',
        '--key',
        'PROD_0001',
        '--value',
        '{"productId":"PROD_0001","inventory":10}',
        '--header',
        'source=workshop',
        '--header=note=a=b',
      ]),
    ).toEqual({
      kind: 'produce',
      topic: 'product-updates',
      request: {
        key: 'PROD_0001',
        value: { productId: 'PROD_0001', inventory: 10 },
        headers: { source: 'workshop', note: 'a=b' },
      },
    });
  });

  it('produce without a key sends a null key', () => {
    expect(parseTopicsArgs(['produce', 't', '--value', '"text"'])).toEqual({
      kind: 'produce',
      topic: 't',
      request: { key: null, value: 'text' },
    });
  });

  it.each([
    [[], /command is required/],
    [['bogus'], /unknown command "bogus"/],
    [['list', 'x'], /list takes no arguments/],
    [['tail'], /topic name is required/],
    [['tail', '--filter', 'x'], /topic name is required/],
    [['tail', 'bad topic!'], /not a valid topic name/],
    [['tail', 't', '--limit', '0'], /--limit must be a whole number from 1 to 500/],
    [['tail', 't', '--limit', 'ten'], /--limit/],
    [['tail', 't', '--from', 'yesterday'], /--from must be earliest, latest or a timestamp/],
    [['tail', 't', '--from'], /--from needs a value/],
    [['tail', 't', '--follow', 'x'], /unknown option --follow/],
    [['tail', 't', 'stray'], /unexpected argument "stray"/],
    [['produce', 't'], /--value JSON is required/],
    [['produce', 'a,b', '--value', '1'], /exactly one topic/],
    [['produce', 't', '--value', '{"inventory":'], /--value is not valid JSON/],
    [['produce', 't', '--value', '1', '--header', 'novalue'], /--header must be key=value/],
    [['produce', 't', '--value', '1', '--key', 'a', '--key', 'b'], /--key given more than once/],
  ])('rejects %j with a clear message', (argv, message) => {
    expect(() => parseTopicsArgs(argv as string[])).toThrow(UsageError);
    expect(() => parseTopicsArgs(argv as string[])).toThrow(message);
  });
});

describe('topics CLI: requests', () => {
  it('list → GET /api/topics', () => {
    expect(toHttpRequest({ kind: 'list' }, `${API}/`)).toEqual({ method: 'GET', url: `${API}/api/topics` });
  });

  it('tail → GET /api/topics/messages with the query encoded', () => {
    const req = toHttpRequest(
      parseTopicsArgs([
        'tail',
        'order-events,inventory-events',
        '--filter',
        '.value.productId == "P 1"',
        '--from',
        '42',
      ]),
      API,
    );
    const url = new URL(req.url);
    expect(req.method).toBe('GET');
    expect(url.pathname).toBe('/api/topics/messages');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      topics: 'order-events,inventory-events',
      from: 'timestamp',
      timestampMs: '42',
      limit: '50',
      filter: '.value.productId == "P 1"',
    });
  });

  it('produce → POST /api/topics/:topic/messages with {key, value, headers}', () => {
    const req = toHttpRequest(
      parseTopicsArgs(['produce', 'product-updates', '--key', 'K', '--value', '{"a":1}']),
      API,
    );
    expect(req).toEqual({
      method: 'POST',
      url: `${API}/api/topics/product-updates/messages`,
      body: JSON.stringify({ key: 'K', value: { a: 1 } }),
    });
  });
});

describe('topics CLI: output', () => {
  it('prints one JSON line per record and a summary', () => {
    const cmd = parseTopicsArgs(['tail', 'order-events', '--filter', '.value.productId == "PROD_0001"']);
    const record = {
      topic: 'order-events',
      partition: 0,
      offset: '7',
      timestamp: 1,
      key: 'PROD_0001',
      value: {},
      headers: {},
    };
    const out = formatResult(cmd, { messages: [record, record], scanned: 12, truncated: true });
    expect(out.lines).toHaveLength(2);
    expect(JSON.parse(out.lines[0])).toEqual(record);
    expect(out.summary).toBe(
      '2 record(s) from order-events matching .value.productId == "PROD_0001", scanned 12 (scan limit reached: narrow with --from or --filter)',
    );
  });

  it('lists topics from an array or a {topics} object', () => {
    const t = { name: 'products', partitions: [], messageCount: '0' };
    expect(formatResult({ kind: 'list' }, [t]).lines).toEqual([JSON.stringify(t)]);
    expect(formatResult({ kind: 'list' }, { topics: [t, t] }).summary).toBe('2 topic(s)');
  });

  it('acknowledges a produce with its partition and offset', () => {
    const cmd = parseTopicsArgs(['produce', 'product-updates', '--value', '{}']);
    expect(formatResult(cmd, { topic: 'product-updates', partition: 3, offset: '12' }).summary).toBe(
      'produced to product-updates partition 3 offset 12',
    );
  });

  it.each([
    [
      400,
      '{"statusCode":400,"message":"filter: unexpected token"}',
      'the API answered 400: filter: unexpected token',
    ],
    [
      400,
      '{"message":["key too long","value required"]}',
      'the API answered 400: key too long; value required',
    ],
    [403, 'Forbidden', 'the API answered 403: Forbidden'],
    [503, '', 'the API answered 503'],
  ])('describes HTTP %s errors', (status, body, expected) => {
    expect(describeHttpError(status, body)).toBe(expected);
  });
});

describe('topics CLI: settings from the environment, else .env (like the workshop scripts)', () => {
  const dotEnv = ['# comment', 'API_PORT=18081', 'export ADMIN_TOKEN="s3cret-token"', 'API_URL='].join('\n');

  it('reads KEY=VALUE lines with export and quotes; an empty value is unset', () => {
    expect(envFileSetting(dotEnv, 'API_PORT')).toBe('18081');
    expect(envFileSetting(dotEnv, 'ADMIN_TOKEN')).toBe('s3cret-token');
    expect(envFileSetting(dotEnv, 'API_URL')).toBeUndefined();
    expect(envFileSetting(undefined, 'API_PORT')).toBeUndefined();
  });

  it('calls the API on the port set in .env when the environment does not say', () => {
    expect(resolveSettings({}, dotEnv)).toEqual({
      apiUrl: 'http://127.0.0.1:18081',
      adminToken: 's3cret-token',
    });
  });

  it('the environment wins over .env, and API_URL over API_PORT', () => {
    expect(resolveSettings({ API_PORT: '28081' }, dotEnv).apiUrl).toBe('http://127.0.0.1:28081');
    expect(resolveSettings({ API_URL: 'https://shop.example', API_PORT: '1' }, dotEnv).apiUrl).toBe(
      'https://shop.example',
    );
  });

  it('defaults to the API on 127.0.0.1:8081 without a token', () => {
    expect(resolveSettings({}, undefined)).toEqual({ apiUrl: API, adminToken: undefined });
  });
});

/** Sweep rows for the HTTP surfaces (API, processor state) and the storefront WebSocket. */
import { WS_CLOSE_BAD_PATH, websocketPath } from '@kartshoppe/contracts';
import { waitFor } from '../../support/infra';
import {
  api,
  errorText,
  expectDeadLetter,
  expectLiveUpdates,
  json,
  openSocket,
  processorProduct,
  type Row,
  type Surface,
  type SweepContext,
} from './sweep-kit';
import { PROCESSOR, GARBAGE, DEEP, tag, httpApi, processorHttp, webSocket, effect } from './sweep-surfaces';

export const HTTP_ROWS: [Surface, Row][] = [
  httpRow(
    'POST /checkout with content-type text/plain',
    'POST',
    '/api/ecommerce/checkout',
    'sessionId=x',
    400,
    /root.*expected object/,
    'naming the body (expected an object)',
    'text/plain',
  ),
  httpRow(
    'POST /checkout with binary garbage as JSON',
    'POST',
    '/api/ecommerce/checkout',
    GARBAGE,
    400,
    /not valid JSON/,
    '"Body is not valid JSON"',
  ),
  httpRow(
    'POST /checkout {"sessionId": null}',
    'POST',
    '/api/ecommerce/checkout',
    '{"sessionId":null}',
    400,
    /sessionId/,
    'naming sessionId',
  ),
  httpRow(
    'POST /checkout with a "__proto__" key',
    'POST',
    '/api/ecommerce/checkout',
    (c) => `{"sessionId":"${c.ids.run}","__proto__":{"useCdc":true}}`,
    400,
    /not valid JSON/,
    '"Body is not valid JSON" (prototype poisoning refused by the parser)',
  ),
  httpRow(
    'POST /checkout with userId nested 10,000 levels deep',
    'POST',
    '/api/ecommerce/checkout',
    (c) => `{"sessionId":"bad-${c.ids.run}","userId":${DEEP(10_000)}}`,
    400,
    /userId/,
    'naming userId',
  ),
  httpRow(
    'POST /cart/add quantity 1e400 (Infinity)',
    'POST',
    (c) => `/api/ecommerce/cart/bad-${c.ids.run}/add`,
    (c) => `{"productId":"${c.ids.PA}","quantity":1e400}`,
    400,
    /quantity/,
    'naming quantity',
  ),
  httpRow(
    'POST /cart/add with a 1 MB body',
    'POST',
    (c) => `/api/ecommerce/cart/bad-${c.ids.run}/add`,
    (c) => json({ productId: c.ids.PA, quantity: 1, userId: 'u'.repeat(1_000_000) }),
    413,
    /large|limit/i,
    'body too large',
  ),
  httpRow(
    'GET /products?limit=1&limit=2 (repeated parameter)',
    'GET',
    '/api/ecommerce/products?limit=1&limit=2',
    undefined,
    400,
    /limit/,
    'naming limit',
  ),
  httpRow(
    'GET /product/%ZZ (malformed percent-encoding)',
    'GET',
    '/api/ecommerce/product/%ZZ',
    undefined,
    400,
    /url|productId/i,
    'naming the bad URL',
  ),
  httpRow(
    'GET /product/<65 characters>',
    'GET',
    `/api/ecommerce/product/${'P'.repeat(65)}`,
    undefined,
    400,
    /productId/,
    'naming productId',
  ),
  httpRow(
    'GET /product/<unknown id>',
    'GET',
    '/api/ecommerce/product/PROD_NOPE_404',
    undefined,
    404,
    /PROD_NOPE_404/,
    'naming the id',
  ),
  httpRow(
    'GET /orders/<70 characters>',
    'GET',
    `/api/ecommerce/orders/${'o'.repeat(70)}`,
    undefined,
    400,
    /orderId/,
    'naming orderId',
  ),
  effect(
    httpApi,
    'duplicate checkout (double click, no idempotency key)',
    '201, then 400 "cart is empty"; exactly one order',
    async (c) => {
      const session = `double-${c.ids.run}`;
      await api(c, 'POST', `/api/ecommerce/cart/${session}/add`, json({ productId: c.ids.PC, quantity: 1 }));
      const body = json({ sessionId: session, useCdc: false });
      const [a, b] = await Promise.all([
        api(c, 'POST', '/api/ecommerce/checkout', body),
        api(c, 'POST', '/api/ecommerce/checkout', body),
      ]);
      expect([a.status, b.status].sort()).toEqual([201, 400]);
      expect(errorText(a.status === 400 ? a : b)).toMatch(/cart is empty/);
      expect((await c.pool.query('SELECT 1 FROM orders WHERE session_id = $1', [session])).rowCount).toBe(1);
    },
  ),
  effect(
    httpApi,
    'checkout of more than the stock (4 of 3 left)',
    '201 PENDING, then REJECTED / INSUFFICIENT_STOCK; stock stays 3',
    async (c) => {
      const session = `over-${c.ids.run}`;
      await api(c, 'POST', `/api/ecommerce/cart/${session}/add`, json({ productId: c.ids.PB, quantity: 4 }));
      const order = await api(
        c,
        'POST',
        '/api/ecommerce/checkout',
        json({ sessionId: session, useCdc: false }),
      );
      expect([order.status, order.body.status]).toEqual([201, 'PENDING']);
      const final = await waitFor('order decided', async () => {
        const o = (await api(c, 'GET', `/api/ecommerce/orders/${order.body.orderId}`)).body;
        return o.status !== 'PENDING' ? o : undefined;
      });
      expect([final.status, final.items[0].reason]).toEqual(['REJECTED', 'INSUFFICIENT_STOCK']);
      expect((await processorProduct(c, c.ids.PB)).inventory).toBe(3);
    },
  ),
  effect(
    httpApi,
    'POST /api/topics/product-updates/messages: a patch of an unknown product (F-SEC-4)',
    '201 (the inspector produces as is); the processor dead-letters it and goes on',
    async (c) => {
      const r = await api(
        c,
        'POST',
        `/api/topics/${c.topics.productUpdates}/messages`,
        json({ key: c.ids.NOPE, value: { productId: c.ids.NOPE, inventory: 9 } }),
      );
      expect(r.status).toBe(201);
      const origin = { topic: c.topics.productUpdates, partition: r.body.partition, offset: r.body.offset };
      await expectDeadLetter(
        c,
        origin,
        json({ productId: c.ids.NOPE, inventory: 9 }),
        PROCESSOR,
        /unknown product/,
      );
    },
  ),
  httpRow(
    'POST /api/topics/product-updates/messages to partition 99 (there are 3)',
    'POST',
    (c) => `/api/topics/${c.topics.productUpdates}/messages`,
    json({ key: 'k', value: { productId: 'k' }, partition: 99 }),
    400,
    /partition/,
    'naming partition',
  ),
  httpRow(
    'POST /api/topics/<unknown topic>/messages',
    'POST',
    '/api/topics/no-such-topic-sweep/messages',
    json({ key: 'k', value: 1 }),
    404,
    /no-such-topic-sweep/,
    'naming the topic',
  ),
].map((r): [Surface, Row] => [httpApi, r]);

export const PROCESSOR_HTTP_ROWS: [Surface, Row][] = [
  effect(
    processorHttp,
    'GET /state/products/%ZZ (malformed percent-encoding)',
    '400 naming productId',
    async (c) => {
      const r = await c.platform.processor.get('/state/products/%ZZ');
      expect([r.status, JSON.stringify(r.body)]).toEqual([400, expect.stringMatching(/productId/)]);
    },
  ),
  effect(processorHttp, 'POST /state/products', '405', async (c) => {
    const r = await fetch(`http://127.0.0.1:${c.platform.processor.port}/state/products`, {
      method: 'POST',
      body: '{}',
    });
    expect(r.status).toBe(405);
  }),
].map((r): [Surface, Row] => [processorHttp, r]);

export const WEBSOCKET_ROWS: [Surface, Row][] = [
  wsRow(
    'session id with malformed percent-encoding (/ecommerce/%E0%A4%A/u1)',
    '/ecommerce/%E0%A4%A/u1',
    `closed ${WS_CLOSE_BAD_PATH} (bad path); the API keeps running`,
    WS_CLOSE_BAD_PATH,
  ),
  wsRow(
    'path with one segment (/ecommerce/only-session)',
    '/ecommerce/only-session',
    `closed ${WS_CLOSE_BAD_PATH} (bad path)`,
    WS_CLOSE_BAD_PATH,
  ),
  wsRow(
    'path outside /ecommerce (/not-a-socket)',
    '/not-a-socket',
    'upgrade refused (connection closed, 1006)',
    1006,
  ),
  wsFrameRow(
    'text frame of 64 KiB (limit 4 KiB)',
    'x'.repeat(65_536),
    'closed 1009 (message too big); others unaffected',
    1009,
  ),
  wsFrameRow('text frame with invalid UTF-8', GARBAGE, 'closed 1007 (invalid payload)', 1007, false),
  wsFrameRow(
    'binary frame of garbage',
    GARBAGE,
    'ignored: the socket stays open and still gets updates',
    null,
    true,
  ),
  wsFrameRow(
    'malformed JSON text frame',
    '{"type": PING',
    'ignored: the socket stays open and still gets updates',
    null,
  ),
].map((r): [Surface, Row] => [webSocket, r]);

function httpRow(
  input: string,
  method: string,
  path: string | ((c: SweepContext) => string),
  body: string | Buffer | undefined | ((c: SweepContext) => string),
  status: number,
  message: RegExp,
  label: string,
  contentType?: string,
): Row {
  return effect(httpApi, input, `${status} ${label}; no rows written`, async (c) => {
    const before = await rowCounts(c);
    const r = await api(
      c,
      method,
      typeof path === 'function' ? path(c) : path,
      typeof body === 'function' ? body(c) : body,
      contentType,
    );
    expect([r.status, r.body?.statusCode]).toEqual([status, status]);
    expect(errorText(r)).toMatch(message);
    expect(await rowCounts(c)).toEqual(before); // the sweep's database is its own: nothing else writes
  });
}

/** Rows a request could write: no half-written order, no order line, no cart line. */
async function rowCounts(c: SweepContext): Promise<number[]> {
  const { rows } = await c.pool.query(
    `SELECT (SELECT count(*) FROM orders)::int AS o, (SELECT count(*) FROM order_items)::int AS i,
            (SELECT count(*) FROM cart_items)::int AS c`,
  );
  return [rows[0].o, rows[0].i, rows[0].c];
}

function wsRow(input: string, path: string, expected: string, code: number): Row {
  return effect(webSocket, input, expected, async (c) => {
    const s = openSocket(`${c.platform.wsUrl}${path}`);
    expect((await s.closed).code).toBe(code);
  });
}

/** A frame sent on a good socket: `closeCode` null = the socket must stay open and keep receiving. */
function wsFrameRow(
  input: string,
  frame: string | Buffer,
  expected: string,
  closeCode: number | null,
  binary?: boolean,
): Row {
  return effect(webSocket, input, expected, async (c) => {
    const s = openSocket(`${c.platform.wsUrl}${websocketPath(`frames-${tag('s')}`, 'u1')}`);
    try {
      expect(await s.opened).toBe(true);
      await waitFor('snapshot', () => s.messages.length > 0);
      s.ws.send(frame, { binary: binary ?? Buffer.isBuffer(frame) });
      if (closeCode !== null) expect((await s.closed).code).toBe(closeCode);
      else await expectLiveUpdates(c, s);
    } finally {
      s.ws.terminate();
    }
  });
}

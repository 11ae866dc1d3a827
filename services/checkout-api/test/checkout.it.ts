import { OrderSchema, orderItemEventId, type OrderItemStatus } from '@kartshoppe/contracts';
import type { Admin, Kafka, Producer } from 'kafkajs';
import type { Pool } from 'pg';
import { uniqueName, waitFor } from '../../../test/support/infra';
import {
  createTestTopics,
  http,
  product,
  produceJson,
  readTopic,
  startApi,
  testKafka,
  testPool,
  topicEnv,
  type RunningApi,
  type TestTopics,
} from './support/api-harness';

/** Checkout against real Postgres and Kafka: rows, order-events, idempotency, order-status, bad input. */
describe('checkout (real Postgres + Kafka)', () => {
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  let pool: Pool;
  let topics: TestTopics;
  let api: RunningApi;
  const P1 = uniqueName('P1').replace(/-/g, '_');
  const P2 = uniqueName('P2').replace(/-/g, '_');

  beforeAll(async () => {
    kafka = testKafka();
    admin = kafka.admin();
    await admin.connect();
    producer = kafka.producer();
    await producer.connect();
    pool = testPool();
    topics = await createTestTopics(admin);
    await produceJson(producer, topics.products, P1, product(P1, { price: 1899.99 }));
    await produceJson(producer, topics.products, P2, product(P2, { price: 19.99, inventory: 3 }));
    api = await startApi(topicEnv(topics));
    await waitFor('read model warm with 2 products', async () => {
      const r = await http(api.baseUrl, 'GET', '/health');
      return r.status === 200 && r.body.readModel.products === 2;
    });
  }, 60_000);

  afterAll(async () => {
    await api?.stop();
    await producer?.disconnect();
    await admin?.deleteTopics({ topics: Object.values(topics ?? {}) }).catch(() => undefined);
    await admin?.disconnect();
    await pool?.end();
  });

  const fill = async (sessionId: string, lines: [string, number][]) => {
    for (const [productId, quantity] of lines) {
      const r = await http(api.baseUrl, 'POST', `/api/ecommerce/cart/${sessionId}/add`, {
        productId,
        quantity,
      });
      expect(r.status).toBe(200);
    }
  };

  it('direct mode: one transaction writes the order and lines, clears the cart, publishes one event per line keyed by productId', async () => {
    const session = uniqueName('s');
    await fill(session, [
      [P1, 3],
      [P2, 1],
    ]);
    const res = await http(api.baseUrl, 'POST', '/api/ecommerce/checkout', {
      sessionId: session,
      useCdc: false,
    });
    expect(res.status).toBe(201);
    const order = OrderSchema.parse(res.body);
    expect(order).toMatchObject({
      status: 'PENDING',
      publishMode: 'direct',
      published: true,
      subtotal: 5719.96,
      tax: 457.6,
      shipping: 5.99,
      totalAmount: 6183.55,
    });

    const rows = await pool.query(
      'SELECT publish_mode, status, subtotal::text, tax::text, total::text FROM orders WHERE order_id = $1',
      [order.orderId],
    );
    expect(rows.rows).toEqual([
      { publish_mode: 'direct', status: 'PENDING', subtotal: '5719.96', tax: '457.60', total: '6183.55' },
    ]);
    const items = await pool.query(
      'SELECT product_id, quantity, publish_mode, status FROM order_items WHERE order_id = $1 ORDER BY product_id',
      [order.orderId],
    );
    expect(items.rows).toEqual(
      [
        { product_id: P1, quantity: 3, publish_mode: 'direct', status: 'PENDING' },
        { product_id: P2, quantity: 1, publish_mode: 'direct', status: 'PENDING' },
      ].sort((a, b) => a.product_id.localeCompare(b.product_id)),
    );
    await waitFor(
      'published=true in Postgres',
      async () =>
        (await pool.query('SELECT published FROM orders WHERE order_id = $1', [order.orderId])).rows[0]
          .published,
    );
    const cart = await http(api.baseUrl, 'GET', `/api/ecommerce/cart/${session}`);
    expect(cart.body.items).toEqual([]);

    const records = await readTopic(
      kafka,
      topics.orderEvents,
      (r) => r.filter((x) => x.value?.includes(order.orderId)).length >= 2,
    );
    const mine = records.filter((r) => r.value?.includes(order.orderId));
    expect(mine).toHaveLength(2);
    for (const r of mine) {
      const e = JSON.parse(r.value!);
      expect(r.key).toBe(e.productId);
      expect(e).toMatchObject({
        eventId: orderItemEventId(order.orderId, e.productId),
        source: 'api',
        orderId: order.orderId,
      });
    }
  });

  it('F-C-1: cdc mode publishes nothing and stores publish_mode cdc, published=true', async () => {
    const session = uniqueName('s');
    await fill(session, [[P1, 1]]);
    const cdc = await http(api.baseUrl, 'POST', '/api/ecommerce/checkout', {
      sessionId: session,
      useCdc: true,
    });
    expect(cdc.status).toBe(201);
    // A direct order placed after it is our marker that the publisher has flushed past the cdc order.
    const marker = uniqueName('s');
    await fill(marker, [[P2, 1]]);
    const direct = await http(api.baseUrl, 'POST', '/api/ecommerce/checkout', {
      sessionId: marker,
      useCdc: false,
    });
    const records = await readTopic(kafka, topics.orderEvents, (r) =>
      r.some((x) => x.value?.includes(direct.body.orderId)),
    );
    expect(records.filter((r) => r.value?.includes(cdc.body.orderId))).toHaveLength(0);
    const row = await pool.query('SELECT publish_mode, published FROM orders WHERE order_id = $1', [
      cdc.body.orderId,
    ]);
    expect(row.rows[0]).toEqual({ publish_mode: 'cdc', published: true });
    const item = await pool.query('SELECT publish_mode FROM order_items WHERE order_id = $1', [
      cdc.body.orderId,
    ]);
    expect(item.rows[0].publish_mode).toBe('cdc');
  });

  it('a retried checkout with the same idempotencyKey returns the same order (200), never a second one', async () => {
    const session = uniqueName('s');
    await fill(session, [[P2, 2]]);
    const body = { sessionId: session, useCdc: true, idempotencyKey: uniqueName('idem') };
    const first = await http(api.baseUrl, 'POST', '/api/ecommerce/checkout', body);
    const again = await http(api.baseUrl, 'POST', '/api/ecommerce/checkout', body);
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body.orderId).toBe(first.body.orderId);
    const n = await pool.query('SELECT count(*)::int AS n FROM orders WHERE session_id = $1', [session]);
    expect(n.rows[0].n).toBe(1);
    const listed = await http(api.baseUrl, 'GET', `/api/ecommerce/orders?sessionId=${session}`);
    expect(listed.body.map((o: { orderId: string }) => o.orderId)).toEqual([first.body.orderId]);
  });

  it('a double submit without an idempotencyKey orders the cart once: one 201, the others a 400 naming the cart', async () => {
    // Several rounds, each firing concurrent checkouts of one two-line cart: before the checkout
    // consumed the cart under a lock, every request read the same cart and each wrote its own order.
    for (let round = 0; round < 4; round++) {
      const session = uniqueName('double');
      await fill(session, [
        [P1, 2],
        [P2, 1],
      ]);
      const body = { sessionId: session, useCdc: round % 2 === 0 };
      const answers = await Promise.all(
        [1, 2, 3].map(() => http(api.baseUrl, 'POST', '/api/ecommerce/checkout', body)),
      );
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses).toEqual([201, 400, 400]);
      for (const refused of answers.filter((a) => a.status === 400)) {
        expect(refused.body.message).toMatch(/cart is empty/);
        expect(refused.body.fields).toEqual([{ path: 'sessionId', message: expect.stringMatching(/cart/) }]);
      }
      const placed = answers.find((a) => a.status === 201)!.body;
      const orders = await pool.query('SELECT order_id FROM orders WHERE session_id = $1', [session]);
      expect(orders.rows).toEqual([{ order_id: placed.orderId }]);
      // Nothing half-written: the one order has both its lines, and no line of the cart is left.
      const items = await pool.query(
        'SELECT product_id, quantity FROM order_items WHERE order_id = $1 ORDER BY product_id',
        [placed.orderId],
      );
      expect(items.rows).toEqual(
        [
          { product_id: P1, quantity: 2 },
          { product_id: P2, quantity: 1 },
        ].sort((a, b) => a.product_id.localeCompare(b.product_id)),
      );
      const cart = await pool.query('SELECT count(*)::int AS n FROM cart_items WHERE session_id = $1', [
        session,
      ]);
      expect(cart.rows[0].n).toBe(0);
    }
  });

  it('a cart line changed while the checkout waits for it is ordered as it is at commit, and the cart is consumed', async () => {
    // Drives the race deterministically: a transaction holds the line's row lock and changes its
    // quantity while the checkout is waiting for it; the checkout must retry with the new quantity.
    const session = uniqueName('changed');
    await fill(session, [[P2, 1]]);
    const blocker = await pool.connect();
    try {
      const blockerPid = (await blocker.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
      await blocker.query('BEGIN');
      await blocker.query('UPDATE cart_items SET quantity = 2 WHERE session_id = $1 AND product_id = $2', [
        session,
        P2,
      ]);
      const answer = http(api.baseUrl, 'POST', '/api/ecommerce/checkout', {
        sessionId: session,
        useCdc: true,
      });
      await waitFor('the checkout to wait for the cart line lock', async () => {
        const { rows } = await pool.query(
          `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE NOT l.granted AND a.query LIKE '%cart_items%' AND a.pid <> $1`,
          [blockerPid],
        );
        return rows[0].n > 0;
      });
      await blocker.query('COMMIT');
      const res = await answer;
      expect(res.status).toBe(201);
      expect(res.body.items.map((i: { quantity: number }) => i.quantity)).toEqual([2]);
    } finally {
      blocker.release();
    }
    const cart = await pool.query('SELECT count(*)::int AS n FROM cart_items WHERE session_id = $1', [
      session,
    ]);
    expect(cart.rows[0].n).toBe(0);
  });

  it('an order-status record flips the order once even when delivered twice', async () => {
    const session = uniqueName('s');
    await fill(session, [
      [P1, 1],
      [P2, 5],
    ]);
    const { body: order } = await http(api.baseUrl, 'POST', '/api/ecommerce/checkout', {
      sessionId: session,
      useCdc: true,
    });
    const status = (productId: string, s: 'RESERVED' | 'REJECTED'): OrderItemStatus => ({
      orderId: order.orderId,
      productId,
      eventId: orderItemEventId(order.orderId, productId),
      status: s,
      reason: s === 'REJECTED' ? 'INSUFFICIENT_STOCK' : null,
      quantity: 1,
      remainingInventory: 0,
      timestamp: Date.now(),
    });
    await produceJson(producer, topics.orderStatus, order.orderId, status(P1, 'RESERVED'));
    await produceJson(producer, topics.orderStatus, order.orderId, status(P1, 'RESERVED')); // redelivery
    await produceJson(producer, topics.orderStatus, order.orderId, status(P1, 'REJECTED')); // a late contradicting copy
    await produceJson(producer, topics.orderStatus, order.orderId, status(P2, 'REJECTED'));
    await produceJson(producer, topics.orderStatus, order.orderId, 'not json'); // poison → dead-letters
    const final = await waitFor('order decided', async () => {
      const r = await http(api.baseUrl, 'GET', `/api/ecommerce/orders/${order.orderId}`);
      return r.body.status !== 'PENDING' && r.body;
    });
    expect(final.status).toBe('PARTIALLY_CONFIRMED');
    expect(
      final.items.map((i: { productId: string; status: string; reason: string | null }) => [
        i.productId,
        i.status,
        i.reason,
      ]),
    ).toEqual(
      [
        [P1, 'RESERVED', null],
        [P2, 'REJECTED', 'INSUFFICIENT_STOCK'],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    const dl = await readTopic(kafka, topics.deadLetters, (r) => r.length >= 1);
    expect(dl[0].value).toBe('not json');
  });

  it('GET /orders/:id is 404 for an unknown order', async () => {
    const r = await http(api.baseUrl, 'GET', '/api/ecommerce/orders/does-not-exist');
    expect(r.status).toBe(404);
    expect(r.body.message).toContain('does-not-exist');
  });

  describe('bad requests: clear status and message, and no rows written', () => {
    const session = uniqueName('bad');
    const cases: [string, string, string, unknown, number, RegExp][] = [
      ['checkout: missing sessionId', 'POST', '/api/ecommerce/checkout', { useCdc: false }, 400, /sessionId/],
      ['checkout: empty sessionId', 'POST', '/api/ecommerce/checkout', { sessionId: '' }, 400, /sessionId/],
      [
        'checkout: sessionId with spaces',
        'POST',
        '/api/ecommerce/checkout',
        { sessionId: 'a b' },
        400,
        /sessionId/,
      ],
      [
        'checkout: useCdc string',
        'POST',
        '/api/ecommerce/checkout',
        { sessionId: session, useCdc: 'true' },
        400,
        /useCdc/,
      ],
      [
        'checkout: unknown field',
        'POST',
        '/api/ecommerce/checkout',
        { sessionId: session, total: 1 },
        400,
        /total/,
      ],
      [
        'checkout: bad payment method',
        'POST',
        '/api/ecommerce/checkout',
        { sessionId: session, paymentMethod: 'cash' },
        400,
        /paymentMethod/,
      ],
      [
        'checkout: incomplete address',
        'POST',
        '/api/ecommerce/checkout',
        { sessionId: session, shippingAddress: { name: 'A' } },
        400,
        /shippingAddress\.street/,
      ],
      [
        'checkout: short idempotency key',
        'POST',
        '/api/ecommerce/checkout',
        { sessionId: session, idempotencyKey: 'x' },
        400,
        /idempotencyKey/,
      ],
      ['checkout: malformed JSON', 'POST', '/api/ecommerce/checkout', '{"sessionId":', 400, /JSON/],
      ['checkout: JSON array body', 'POST', '/api/ecommerce/checkout', [1, 2], 400, /root|expected object/],
      [
        'checkout: empty cart',
        'POST',
        '/api/ecommerce/checkout',
        { sessionId: session },
        400,
        /cart is empty/,
      ],
      [
        'checkout: oversize body',
        'POST',
        '/api/ecommerce/checkout',
        { sessionId: session, userId: 'u'.repeat(70_000) },
        413,
        /large|limit/i,
      ],
      [
        'cart add: quantity 0',
        'POST',
        `/api/ecommerce/cart/${session}/add`,
        { productId: P1, quantity: 0 },
        400,
        /quantity/,
      ],
      [
        'cart add: negative quantity',
        'POST',
        `/api/ecommerce/cart/${session}/add`,
        { productId: P1, quantity: -2 },
        400,
        /quantity/,
      ],
      [
        'cart add: fractional quantity',
        'POST',
        `/api/ecommerce/cart/${session}/add`,
        { productId: P1, quantity: 1.5 },
        400,
        /quantity/,
      ],
      [
        'cart add: huge quantity',
        'POST',
        `/api/ecommerce/cart/${session}/add`,
        { productId: P1, quantity: 1_000_000 },
        400,
        /quantity/,
      ],
      [
        'cart add: missing productId',
        'POST',
        `/api/ecommerce/cart/${session}/add`,
        { quantity: 1 },
        400,
        /productId/,
      ],
      [
        'cart add: unknown product',
        'POST',
        `/api/ecommerce/cart/${session}/add`,
        { productId: 'PROD_NOPE', quantity: 1 },
        404,
        /PROD_NOPE/,
      ],
      [
        'cart add: price from client refused',
        'POST',
        `/api/ecommerce/cart/${session}/add`,
        { productId: P1, quantity: 1, price: 0.01 },
        400,
        /price/,
      ],
      [
        'cart add: bad session id',
        'POST',
        `/api/ecommerce/cart/bad%20id/add`,
        { productId: P1, quantity: 1 },
        400,
        /sessionId/,
      ],
      [
        'cart update: quantity missing',
        'PUT',
        `/api/ecommerce/cart/${session}/items/${P1}`,
        {},
        400,
        /quantity/,
      ],
      [
        'cart update: quantity string',
        'PUT',
        `/api/ecommerce/cart/${session}/items/${P1}`,
        { quantity: '2' },
        400,
        /quantity/,
      ],
      [
        'cart remove: line not in cart',
        'DELETE',
        `/api/ecommerce/cart/${session}/items/${P1}`,
        undefined,
        404,
        /not in the cart/,
      ],
      ['products: limit 0', 'GET', '/api/ecommerce/products?limit=0', undefined, 400, /limit/],
      ['products: unknown query param', 'GET', '/api/ecommerce/products?sort=price', undefined, 400, /sort/],
      ['topics: bad from', 'GET', `/api/topics/messages?topics=${'x'}&from=middle`, undefined, 400, /from/],
      [
        'topics: bad filter',
        'GET',
        `/api/topics/messages?topics=${'x'}&filter=${encodeURIComponent('.a ==')}`,
        undefined,
        400,
        /filter/,
      ],
    ];
    it.each(cases)('%s', async (_name, method, path, body, status, message) => {
      const r = await http(api.baseUrl, method, path, body);
      expect(r.status).toBe(status);
      expect(r.body.statusCode).toBe(status);
      expect(`${r.body.message} ${JSON.stringify(r.body.fields ?? [])}`).toMatch(message);
    });
    afterAll(async () => {
      const orders = await pool.query('SELECT count(*)::int AS n FROM orders WHERE session_id = $1', [
        session,
      ]);
      const carts = await pool.query('SELECT count(*)::int AS n FROM cart_items WHERE session_id = $1', [
        session,
      ]);
      expect([orders.rows[0].n, carts.rows[0].n]).toEqual([0, 0]);
    });
  });
});

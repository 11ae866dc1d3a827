import {
  ServerMessageSchema,
  WS_CLOSE_TOO_SLOW,
  websocketPath,
  type InventoryEvent,
  type ServerMessage,
} from '@kartshoppe/contracts';
import type { Admin, Kafka, Producer } from 'kafkajs';
import WebSocket from 'ws';
import { uniqueName, waitFor } from '../../../test/support/infra';
import {
  createTestTopics,
  http,
  product,
  produceJson,
  startApi,
  testKafka,
  topicEnv,
  type RunningApi,
  type TestTopics,
} from './support/api-harness';

/** The storefront socket against a real Kafka: snapshot, live updates, session-scoped carts. */
describe('storefront WebSocket (real Kafka)', () => {
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  let topics: TestTopics;
  let api: RunningApi;
  const P1 = uniqueName('W1').replace(/-/g, '_');
  const sockets: WebSocket[] = [];

  beforeAll(async () => {
    kafka = testKafka();
    admin = kafka.admin();
    await admin.connect();
    producer = kafka.producer();
    await producer.connect();
    topics = await createTestTopics(admin);
    await produceJson(producer, topics.products, P1, product(P1, { inventory: 20, version: 3 }));
    // Small per-client budgets so the slow-client test overflows quickly.
    api = await startApi({
      ...topicEnv(topics),
      WS_MAX_BUFFERED_BYTES: '65536',
      WS_MAX_PENDING_MESSAGES: '200',
    });
    await waitFor(
      'read model warm',
      async () => (await http(api.baseUrl, 'GET', '/health')).body.readModel?.products === 1,
    );
  }, 60_000);

  afterAll(async () => {
    for (const s of sockets) s.terminate();
    await api?.stop();
    await producer?.disconnect();
    await admin?.deleteTopics({ topics: Object.values(topics ?? {}) }).catch(() => undefined);
    await admin?.disconnect();
  });

  const connect = async (sessionId: string) => {
    const ws = new WebSocket(`${api.wsUrl}${websocketPath(sessionId, 'user_1')}`);
    sockets.push(ws);
    const messages: ServerMessage[] = [];
    ws.on('message', (data) => messages.push(ServerMessageSchema.parse(JSON.parse(data.toString()))));
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    return { ws, messages };
  };

  const event = (over: Partial<InventoryEvent>): InventoryEvent => ({
    productId: P1,
    productName: 'x',
    eventType: 'INVENTORY_DECREASED',
    previousInventory: 20,
    currentInventory: 17,
    previousPrice: 1899.99,
    currentPrice: 1899.99,
    changeReason: 'order',
    timestamp: Date.now(),
    version: 4,
    ...over,
  });

  it('F-FE-4: sends the whole catalog on connect, then a PRODUCT_UPDATE within 1 s of a websocket_fanout record', async () => {
    const { messages } = await connect(uniqueName('s'));
    await waitFor('snapshot', () => messages.length >= 1);
    expect(messages[0].eventType).toBe('PRODUCT_CACHE_SYNC');
    expect(
      messages[0].eventType === 'PRODUCT_CACHE_SYNC' && messages[0].payload.products.map((p) => p.productId),
    ).toEqual([P1]);

    const sentAt = Date.now();
    await produceJson(producer, topics.websocketFanout, P1, event({ currentInventory: 17, version: 4 }));
    const update = await waitFor(
      'product update',
      () => messages.find((m) => m.eventType === 'PRODUCT_UPDATE'),
      { timeoutMs: 5_000 },
    );
    expect(Date.now() - sentAt).toBeLessThan(1_000);
    expect(update.payload).toMatchObject({ productId: P1, inventory: 17, name: `Product ${P1}`, version: 4 });

    // A full product on `products` with a newer version replaces it; an older snapshot does not (F-RM-2).
    await produceJson(producer, topics.products, P1, product(P1, { inventory: 9, version: 2 }));
    await produceJson(producer, topics.products, P1, product(P1, { inventory: 12, version: 5 }));
    await waitFor('full update', () =>
      messages.some((m) => m.eventType === 'PRODUCT_UPDATE' && m.payload.inventory === 12),
    );
    expect(messages.some((m) => m.eventType === 'PRODUCT_UPDATE' && m.payload.inventory === 9)).toBe(false);
  });

  it('F-RM-2: an update for an unknown product creates nothing', async () => {
    const ghost = uniqueName('GHOST').replace(/-/g, '_');
    await produceJson(producer, topics.inventoryEvents, ghost, event({ productId: ghost, version: 1 }));
    // Marker: a later update of a known product on the same path shows the ghost was processed.
    await produceJson(producer, topics.inventoryEvents, P1, event({ currentInventory: 11, version: 6 }));
    await waitFor(
      'marker applied',
      async () => (await http(api.baseUrl, 'GET', `/api/ecommerce/product/${P1}`)).body.inventory === 11,
    );
    expect((await http(api.baseUrl, 'GET', `/api/ecommerce/product/${ghost}`)).status).toBe(404);
    const state = await http(api.baseUrl, 'GET', '/api/ecommerce/inventory/state');
    expect(state.body.totalProducts).toBe(1);
  });

  it('cart changes reach only the sockets of that session (F-C-4), alerts reach everyone', async () => {
    const session = uniqueName('s');
    const mine = await connect(session);
    const other = await connect(uniqueName('s'));
    const cartMessages = () =>
      mine.messages.flatMap((m) => (m.eventType === 'SHOPPING_CART' ? [m.payload] : []));
    await http(api.baseUrl, 'POST', `/api/ecommerce/cart/${session}/add`, { productId: P1, quantity: 2 });
    const added = await waitFor('the cart message of the add', () =>
      cartMessages().find((c) => c.items.some((i) => i.productId === P1 && i.quantity === 2)),
    );
    expect(added.sessionId).toBe(session);
    const seenBeforeDelete = cartMessages().length;
    await http(api.baseUrl, 'DELETE', `/api/ecommerce/cart/${session}/items/${P1}`);
    // The removal reaches the socket too (the original never told the server, F-C-4): an empty cart.
    const afterDelete = await waitFor('the cart message of the removal', () =>
      cartMessages().slice(seenBeforeDelete).at(-1),
    );
    expect(afterDelete.items).toEqual([]);
    expect(afterDelete.itemCount).toBe(0);
    await produceJson(producer, topics.inventoryAlerts, P1, {
      alertId: `${P1}:7:LOW_STOCK`,
      alertType: 'LOW_STOCK',
      productId: P1,
      productName: 'x',
      message: 'low',
      severity: 'WARNING',
      currentInventory: 5,
      timestamp: Date.now(),
    });
    await waitFor('alert on the other socket', () =>
      other.messages.some((m) => m.eventType === 'INVENTORY_ALERT'),
    );
    expect(other.messages.some((m) => m.eventType === 'SHOPPING_CART')).toBe(false);
    const alerts = await http(api.baseUrl, 'GET', '/api/ecommerce/alerts');
    expect(alerts.body.map((a: { alertId: string }) => a.alertId)).toContain(`${P1}:7:LOW_STOCK`);
  });

  it('F-REL-3: a client that does not read is closed with WS_CLOSE_TOO_SLOW while others keep receiving', async () => {
    // Alerts never coalesce, so a flood of distinct alerts overflows a client that does not read.
    const slow = await connect(uniqueName('slow'));
    const closed = new Promise<number>((r) => slow.ws.once('close', (code) => r(code)));
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause(); // stops reading: its buffer fills
    const fast = await connect(uniqueName('fast'));
    const big = 'x'.repeat(1500);
    const messages = Array.from({ length: 3000 }, (_, i) => ({
      key: P1,
      value: JSON.stringify({
        alertId: `${P1}:flood:${i}`,
        alertType: 'LOW_STOCK',
        productId: P1,
        productName: big,
        message: 'flood',
        severity: 'INFO',
        currentInventory: 1,
        timestamp: Date.now(),
      }),
    }));
    for (let i = 0; i < messages.length; i += 300)
      await producer.send({ topic: topics.inventoryAlerts, messages: messages.slice(i, i + 300) });
    await waitFor(
      'fast client got the flood',
      () => fast.messages.filter((m) => m.eventType === 'INVENTORY_ALERT').length >= 3000,
      { timeoutMs: 20_000 },
    );
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    expect(await closed).toBe(WS_CLOSE_TOO_SLOW);
  }, 40_000);
});

/**
 * The surfaces of the bad-input sweep (where a row's input goes, who judges it, and the good input that
 * must still be processed after it) and the small builders the rows are written with.
 */
import { orderItemEventId, websocketPath } from '@kartshoppe/contracts';
import { waitFor } from '../../support/infra';
import {
  api,
  bumpReadModel,
  expectLiveUpdates,
  insertOrder,
  json,
  lineStatus,
  openSocket,
  orderEvent,
  orderStatus,
  partitionOf,
  poison,
  processorProduct,
  send,
  type Row,
  type Surface,
  type SweepContext,
} from './sweep-kit';

export const PROCESSOR = 'inventory-processor';
export const API = 'checkout-api';
export const CDC = 'cdc-worker';

/** The largest value the broker takes in one record (message.max.bytes 1 MiB + 12, less the batch overhead). */
export const AT_BROKER_LIMIT_BYTES = 1_048_588 - 200;
export const GARBAGE = Buffer.from([
  0xff, 0xfe, 0x00, 0x9c, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0x7b, 0x22,
]);
export const DEEP = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
let seq = 0;
export const tag = (what: string) => `${what}-${++seq}`;

/** An id with the given prefix whose partition is `partition` (so its records share a partition with PA's). */
export function idOnPartition(prefix: string, partition: number): string {
  for (let i = 0; ; i++) if (partitionOf(`${prefix}${i}`) === partition) return `${prefix}${i}`;
}

/** A JSON object padded with a long `description` to exactly `bytes` bytes. */
export function padded(value: Record<string, unknown>, bytes: number): string {
  const empty = json({ ...value, description: '' });
  return json({ ...value, description: 'x'.repeat(bytes - empty.length) });
}

// ---- surfaces: where a row's input goes, and the good input that must still be processed after it ------

export const productUpdates: Surface = {
  name: 'topic product-updates',
  async followUp(c, t) {
    const description = `still processed after ${t}`;
    await send(
      c,
      c.topics.productUpdates,
      c.ids.PA,
      json({ productId: c.ids.PA, description }),
      partitionOf(c.ids.PA),
    );
    await waitFor(
      'a good product update after the bad one',
      async () => (await processorProduct(c, c.ids.PA))?.description === description,
    );
  },
};

export const orderEvents: Surface = {
  name: 'topic order-events',
  async followUp(c, t) {
    const orderId = `fu-${c.ids.run}-${t}`;
    await send(
      c,
      c.topics.orderEvents,
      c.ids.PA,
      json(orderEvent(orderId, c.ids.PA, 1)),
      partitionOf(c.ids.PA),
    );
    expect((await orderStatus(c, orderId)).status).toBe('RESERVED');
  },
};

export const cdcRows: Surface = {
  name: 'Postgres rows (CDC worker)',
  async followUp(c, t) {
    const orderId = `cdc-fu-${c.ids.run}-${t}`;
    await insertOrder(c.pool, orderId, 'cdc', [{ productId: c.ids.PA, quantity: 1 }]);
    await waitFor(
      'a good cdc order after the bad row',
      async () => (await lineStatus(c.pool, orderId, c.ids.PA))?.status === 'RESERVED',
      { timeoutMs: 30_000 },
    );
  },
};

export const orderStatusTopic: Surface = {
  name: 'topic order-status',
  async followUp(c, t) {
    const orderId = `os-fu-${c.ids.run}-${t}`;
    await insertOrder(c.pool, orderId, 'direct', [{ productId: c.ids.PA, quantity: 1 }]);
    await send(c, c.topics.orderStatus, orderId, json(verdict(orderId, c.ids.PA, 'RESERVED')), 0);
    await waitFor(
      'a good order-status after the bad one',
      async () => (await api(c, 'GET', `/api/ecommerce/orders/${orderId}`)).body.status === 'CONFIRMED',
    );
  },
};

export const readModel = (
  topic: 'products' | 'inventoryEvents' | 'websocketFanout',
  name: string,
): Surface => ({
  name,
  followUp: async (c) => void (await bumpReadModel(c, c.topics[topic])),
});
export const productsTopic = readModel('products', 'topic products');
export const inventoryEventsTopic = readModel('inventoryEvents', 'topic inventory-events');
export const fanoutTopic = readModel('websocketFanout', 'topic websocket_fanout');

export const alertsTopic: Surface = {
  name: 'topic inventory-alerts',
  async followUp(c, t) {
    const alertId = `${c.ids.RM2}:${t}:LOW_STOCK`;
    await send(c, c.topics.alerts, c.ids.RM2, json(alert(c.ids.RM2, { alertId })), partitionOf(c.ids.RM));
    await waitFor('a good alert after the bad one', async () =>
      (await api(c, 'GET', '/api/ecommerce/alerts')).body.some(
        (a: { alertId: string }) => a.alertId === alertId,
      ),
    );
  },
};

export const httpApi: Surface = {
  name: 'HTTP checkout API',
  async followUp(c, t) {
    const session = `fu-${c.ids.run}-${t}`;
    const add = await api(
      c,
      'POST',
      `/api/ecommerce/cart/${session}/add`,
      json({ productId: c.ids.PA, quantity: 1 }),
    );
    expect(add.status).toBe(200);
    expect((await api(c, 'DELETE', `/api/ecommerce/cart/${session}`)).status).toBe(200);
  },
};

export const processorHttp: Surface = {
  name: 'HTTP processor state',
  async followUp(c) {
    expect((await c.platform.processor.get(`/state/products/${c.ids.PA}`)).status).toBe(200);
  },
};

export const webSocket: Surface = {
  name: 'WebSocket /ecommerce/{sessionId}/{userId}',
  async followUp(c, t) {
    const s = openSocket(`${c.platform.wsUrl}${websocketPath(`fu-${t}`, 'u1')}`);
    try {
      expect(await s.opened).toBe(true);
      await waitFor('snapshot on connect', () => s.messages[0]?.eventType === 'PRODUCT_CACHE_SYNC');
      await expectLiveUpdates(c, s);
    } finally {
      s.ws.terminate();
    }
  },
};

export function verdict(
  orderId: string,
  productId: string,
  status: 'RESERVED' | 'REJECTED',
  over: object = {},
) {
  return {
    orderId,
    productId,
    eventId: orderItemEventId(orderId, productId),
    status,
    reason: status === 'REJECTED' ? 'INSUFFICIENT_STOCK' : null,
    quantity: 1,
    remainingInventory: 10,
    timestamp: Date.now(),
    ...over,
  };
}

export function alert(productId: string, over: object = {}) {
  return {
    alertId: `${productId}:1:LOW_STOCK`,
    alertType: 'LOW_STOCK',
    productId,
    productName: 'x',
    message: 'low stock',
    severity: 'WARNING',
    currentInventory: 3,
    timestamp: Date.now(),
    ...over,
  };
}

// ---- the table -----------------------------------------------------------------------------------------

export const onPA = (topic: keyof SweepContext['topics']) => (c: SweepContext) => ({
  topic: c.topics[topic],
  key: c.ids.PA,
  partition: partitionOf(c.ids.PA),
});
export const onRM = (topic: keyof SweepContext['topics']) => (c: SweepContext) => ({
  topic: c.topics[topic],
  key: c.ids.RM,
  partition: partitionOf(c.ids.RM),
});
export const toStatus = (c: SweepContext) => ({
  topic: c.topics.orderStatus,
  key: 'sweep-order',
  partition: 0,
});

export const pu = (input: string, value: Parameters<typeof poison>[3], error: RegExp, expected?: string) =>
  poison(productUpdates.name, input, onPA('productUpdates'), value, PROCESSOR, error, expected);
export const oe = (input: string, value: Parameters<typeof poison>[3], error: RegExp) =>
  poison(orderEvents.name, input, onPA('orderEvents'), value, PROCESSOR, error);
export const os = (input: string, value: Parameters<typeof poison>[3], error: RegExp) =>
  poison(orderStatusTopic.name, input, toStatus, value, API, error);
export const rm = (
  s: Surface,
  topic: keyof SweepContext['topics'],
  input: string,
  value: Parameters<typeof poison>[3],
  error: RegExp,
) => poison(s.name, input, onRM(topic), value, API, error);

export const effect = (
  surface: Surface,
  input: string,
  expected: string,
  run: Row['run'],
  then?: Row['then'],
): Row => ({
  surface: surface.name,
  input,
  expected,
  run,
  then,
});

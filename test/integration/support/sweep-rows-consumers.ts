/** Sweep rows for the checkout API's input topics: order-status and the read model's topics. */
import {
  api,
  apiInventory,
  insertOrder,
  json,
  partitionOf,
  rmEvent,
  fullProduct,
  send,
  type Row,
  type Surface,
} from './sweep-kit';
import {
  AT_BROKER_LIMIT_BYTES,
  GARBAGE,
  tag,
  padded,
  orderStatusTopic,
  productsTopic,
  inventoryEventsTopic,
  fanoutTopic,
  alertsTopic,
  verdict,
  alert,
  os,
  rm,
  effect,
} from './sweep-surfaces';

export const ORDER_STATUS_ROWS: [Surface, Row][] = [
  os('malformed JSON', 'not json', /malformed JSON/),
  os('null value (tombstone)', null, /tombstone/),
  os(
    'unknown status "SHIPPED"',
    json(verdict('o-x', 'PROD_0001', 'RESERVED', { status: 'SHIPPED' })),
    /status/,
  ),
  os('missing eventId', json({ ...verdict('o-x', 'PROD_0001', 'RESERVED'), eventId: undefined }), /eventId/),
  effect(
    orderStatusTopic,
    'verdict for an order that does not exist',
    'ignored (logged): no order row created',
    async (c) => {
      const orderId = `ghost-${c.ids.run}`;
      await send(c, c.topics.orderStatus, orderId, json(verdict(orderId, c.ids.PA, 'RESERVED')), 0);
      await orderStatusTopic.followUp(c, tag('ghost-marker'));
      expect((await c.pool.query('SELECT 1 FROM orders WHERE order_id = $1', [orderId])).rowCount).toBe(0);
    },
  ),
  effect(
    orderStatusTopic,
    'verdict for a product not in the order',
    'ignored: the order stays PENDING',
    async (c) => {
      const orderId = `notline-${c.ids.run}`;
      await insertOrder(c.pool, orderId, 'direct', [{ productId: c.ids.PA, quantity: 1 }]);
      await send(c, c.topics.orderStatus, orderId, json(verdict(orderId, c.ids.PB, 'RESERVED')), 0);
      await orderStatusTopic.followUp(c, tag('notline-marker'));
      expect((await api(c, 'GET', `/api/ecommerce/orders/${orderId}`)).body.status).toBe('PENDING');
    },
  ),
  effect(
    orderStatusTopic,
    'out of order: REJECTED arriving after RESERVED for one line',
    'first verdict kept: CONFIRMED, never regressed',
    async (c) => {
      const orderId = `late-${c.ids.run}`;
      await insertOrder(c.pool, orderId, 'direct', [{ productId: c.ids.PA, quantity: 1 }]);
      await send(c, c.topics.orderStatus, orderId, json(verdict(orderId, c.ids.PA, 'RESERVED')), 0);
      await send(c, c.topics.orderStatus, orderId, json(verdict(orderId, c.ids.PA, 'REJECTED')), 0);
      await orderStatusTopic.followUp(c, tag('late-marker'));
      const order = (await api(c, 'GET', `/api/ecommerce/orders/${orderId}`)).body;
      expect([order.status, order.items[0].status]).toEqual(['CONFIRMED', 'RESERVED']);
    },
  ),
].map((r): [Surface, Row] => [orderStatusTopic, r]);

export const PRODUCTS_ROWS: [Surface, Row][] = [
  rm(productsTopic, 'products', 'malformed JSON', '{"productId": ', /malformed JSON/),
  rm(
    productsTopic,
    'products',
    'negative inventory',
    (c) => json(fullProduct(c.ids.RM, { inventory: -1, version: 50 })),
    /inventory/,
  ),
  rm(
    productsTopic,
    'products',
    'missing name',
    (c) => json({ ...fullProduct(c.ids.RM, { version: 50 }), name: undefined }),
    /name/,
  ),
  {
    ...rm(
      productsTopic,
      'products',
      'huge value at the broker limit (1 MiB)',
      (c) => padded({ ...fullProduct(c.ids.RM), version: 50 }, AT_BROKER_LIMIT_BYTES),
      /description/,
    ),
    expected: 'dead-letters (checkout-api), value truncated to fit, origin offset kept; stream goes on',
  },
  effect(
    productsTopic,
    'older version than the one shown (F-RM-2)',
    'ignored: no regress',
    async (c) => {
      await send(
        c,
        c.topics.products,
        c.ids.RM,
        json(fullProduct(c.ids.RM, { inventory: 1, version: 1 })),
        partitionOf(c.ids.RM),
      );
    },
    async (c) => expect(await apiInventory(c, c.ids.RM)).toBe(40),
  ),
  effect(
    productsTopic,
    'tombstone (null value)',
    'ignored: the product is still served',
    async (c) => {
      await send(c, c.topics.products, c.ids.RM, null, partitionOf(c.ids.RM));
    },
    async (c) => expect(await apiInventory(c, c.ids.RM)).toBe(40),
  ),
].map((r): [Surface, Row] => [productsTopic, r]);

export const INVENTORY_EVENT_ROWS: [Surface, Row][] = [
  rm(
    inventoryEventsTopic,
    'inventoryEvents',
    'unknown eventType "EXPLODED"',
    (c) => json(rmEvent(c.ids.RM, 60, { eventType: 'EXPLODED' })),
    /eventType/,
  ),
  rm(
    inventoryEventsTopic,
    'inventoryEvents',
    'missing version',
    (c) => json({ ...rmEvent(c.ids.RM, 60), version: undefined }),
    /version/,
  ),
  effect(
    inventoryEventsTopic,
    'update for a product the read model does not know (F-RM-2)',
    'dropped: no half product (404)',
    async (c) => {
      await send(
        c,
        c.topics.inventoryEvents,
        `GHOST_${c.ids.run}`,
        json(rmEvent(`GHOST_${c.ids.run}`, 3)),
        partitionOf(c.ids.RM),
      );
    },
    async (c) => expect((await api(c, 'GET', `/api/ecommerce/product/GHOST_${c.ids.run}`)).status).toBe(404),
  ),
  effect(
    inventoryEventsTopic,
    'stale event (version 1, below the current one)',
    'ignored: no regress',
    async (c) => {
      await send(
        c,
        c.topics.inventoryEvents,
        c.ids.RM,
        json(rmEvent(c.ids.RM, 1, { currentInventory: 2 })),
        partitionOf(c.ids.RM),
      );
    },
    async (c) => expect(await apiInventory(c, c.ids.RM)).toBe(40),
  ),
].map((r): [Surface, Row] => [inventoryEventsTopic, r]);

export const FANOUT_ROWS: [Surface, Row][] = [
  rm(fanoutTopic, 'websocketFanout', 'binary garbage', GARBAGE, /malformed JSON/),
  rm(
    fanoutTopic,
    'websocketFanout',
    'negative currentInventory',
    (c) => json(rmEvent(c.ids.RM, 60, { currentInventory: -3 })),
    /currentInventory/,
  ),
].map((r): [Surface, Row] => [fanoutTopic, r]);

export const ALERT_ROWS: [Surface, Row][] = [
  rm(alertsTopic, 'alerts', 'malformed JSON', '{"alertId"', /malformed JSON/),
  rm(
    alertsTopic,
    'alerts',
    'unknown severity "PANIC"',
    (c) => json(alert(c.ids.RM, { severity: 'PANIC' })),
    /severity/,
  ),
  rm(
    alertsTopic,
    'alerts',
    'missing alertId',
    (c) => json({ ...alert(c.ids.RM), alertId: undefined }),
    /alertId/,
  ),
  effect(
    alertsTopic,
    'duplicate alert (same alertId twice)',
    'listed once',
    async (c) => {
      const a = json(alert(c.ids.RM, { alertId: `${c.ids.RM}:dup:LOW_STOCK` }));
      await send(c, c.topics.alerts, c.ids.RM, a, partitionOf(c.ids.RM));
      await send(c, c.topics.alerts, c.ids.RM, a, partitionOf(c.ids.RM));
    },
    async (c) => {
      const alerts = (await api(c, 'GET', '/api/ecommerce/alerts')).body as { alertId: string }[];
      expect(alerts.filter((a) => a.alertId === `${c.ids.RM}:dup:LOW_STOCK`)).toHaveLength(1);
    },
  ),
].map((r): [Surface, Row] => [alertsTopic, r]);

/** Sweep rows for the processor's input topics and the rows the CDC worker captures from Postgres. */
import { waitFor } from '../../support/infra';
import {
  api,
  insertOrder,
  json,
  lineStatus,
  orderEvent,
  orderStatus,
  partitionOf,
  poison,
  processorProduct,
  send,
  statusesOf,
  type Row,
  type Surface,
  type SweepContext,
} from './sweep-kit';
import {
  PROCESSOR,
  CDC,
  AT_BROKER_LIMIT_BYTES,
  GARBAGE,
  DEEP,
  tag,
  idOnPartition,
  padded,
  productUpdates,
  orderEvents,
  cdcRows,
  pu,
  oe,
  effect,
} from './sweep-surfaces';

export const PRODUCT_UPDATE_ROWS: [Surface, Row][] = [
  pu('malformed JSON', '{"productId":', /malformed JSON/),
  pu('binary garbage (invalid UTF-8)', GARBAGE, /malformed JSON/),
  pu('null value (tombstone)', null, /tombstone/),
  pu('empty value', '', /malformed JSON/),
  pu('a JSON number instead of an object', '42', /schema violation/),
  pu(
    'wrong type: inventory "10" (string)',
    (c) => json({ productId: c.ids.PA, inventory: '10' }),
    /inventory/,
  ),
  pu('negative inventory (F-FL-4)', (c) => json({ productId: c.ids.PA, inventory: -5 }), /inventory/),
  pu('price with three decimals', (c) => json({ productId: c.ids.PA, price: 10.005 }), /price/),
  pu('null field: inventory null', (c) => json({ productId: c.ids.PA, inventory: null }), /inventory/),
  pu('missing productId', json({ inventory: 5 }), /productId/),
  pu(
    'productId with spaces and SQL',
    json({ productId: "P 1'; DROP TABLE orders;--", inventory: 1 }),
    /productId/,
  ),
  poison(
    productUpdates.name,
    'patch of an unknown product (F-FL-4, F-U-6)',
    (c) => ({ topic: c.topics.productUpdates, key: c.ids.NOPE, partition: partitionOf(c.ids.NOPE) }),
    (c) => json({ productId: c.ids.NOPE, inventory: 5 }),
    PROCESSOR,
    /unknown product/,
  ),
  pu('JSON nested 100,000 levels deep', DEEP(100_000), /schema violation/),
  pu(
    'huge value at the broker limit (1 MiB, 1 MB description)',
    (c) => padded({ productId: c.ids.PA }, AT_BROKER_LIMIT_BYTES),
    /description/,
    'dead-letters (inventory-processor), value truncated to fit, origin offset kept; stream goes on',
  ),
  {
    ...pu(
      'array of two patches, one bad',
      (c) =>
        json([
          { productId: c.ids.PA, inventory: 777 },
          { productId: c.ids.PA, inventory: -1 },
        ]),
      /inventory/,
    ),
    expected: 'dead-letters as a whole: the good element is not applied either',
    then: async (c: SweepContext) => expect((await processorProduct(c, c.ids.PA)).inventory).not.toBe(777),
  },
  effect(
    productUpdates,
    'unknown field (colour)',
    'applied without it (tolerant reader); not in the product',
    async (c) => {
      await send(
        c,
        c.topics.productUpdates,
        c.ids.PA,
        json({ productId: c.ids.PA, description: 'with colour', colour: 'red' }),
      );
      const p = await waitFor('applied', async () =>
        (await processorProduct(c, c.ids.PA))?.description === 'with colour'
          ? processorProduct(c, c.ids.PA)
          : undefined,
      );
      expect(p).not.toHaveProperty('colour');
    },
  ),
  effect(
    productUpdates,
    'producer-set version 999999 and updatedAt 1',
    'ignored: the processor owns versions (version + 1)',
    async (c) => {
      const before = await processorProduct(c, c.ids.PA);
      await send(
        c,
        c.topics.productUpdates,
        c.ids.PA,
        json({ productId: c.ids.PA, description: 'versioned', version: 999_999, updatedAt: 1 }),
      );
      const after = await waitFor('applied', async () => {
        const p = await processorProduct(c, c.ids.PA);
        return p?.description === 'versioned' ? p : undefined;
      });
      expect(after.version).toBe(before.version + 1);
      expect(after.updatedAt).toBeGreaterThan(1);
    },
  ),
  effect(
    productUpdates,
    '"__proto__" key ({"__proto__":{"inventory":0}})',
    'no effect beyond PRODUCT_UPDATED; stock unchanged',
    async (c) => {
      const before = await processorProduct(c, c.ids.PA);
      await send(
        c,
        c.topics.productUpdates,
        c.ids.PA,
        `{"productId":"${c.ids.PA}","description":"proto","__proto__":{"inventory":0}}`,
      );
      const after = await waitFor('applied', async () => {
        const p = await processorProduct(c, c.ids.PA);
        return p?.description === 'proto' ? p : undefined;
      });
      expect(after.inventory).toBe(before.inventory);
    },
  ),
  effect(
    productUpdates,
    'record key ≠ productId (on another partition)',
    "re-keyed to the productId's partition and applied once",
    async (c) => {
      const key = idOnPartition('WRONG_KEY_', (partitionOf(c.ids.PA) + 1) % 3);
      await send(c, c.topics.productUpdates, key, json({ productId: c.ids.PA, description: 'rekeyed' }));
      await waitFor(
        'applied to PA',
        async () => (await processorProduct(c, c.ids.PA))?.description === 'rekeyed',
      );
    },
  ),
  effect(
    productUpdates,
    'duplicate: the same restock to 4321 twice',
    'stock set once: one INVENTORY_* event, the copy is PRODUCT_UPDATED',
    async (c) => {
      const restock = json({ productId: c.ids.PA, inventory: 4321 });
      await send(c, c.topics.productUpdates, c.ids.PA, restock);
      await send(c, c.topics.productUpdates, c.ids.PA, restock);
      const events = await waitFor('two events at 4321', () => {
        const e = c.out
          .of(c.topics.inventoryEvents)
          .filter((r) => r.json?.productId === c.ids.PA && r.json.currentInventory === 4321)
          .map((r) => r.json.eventType);
        return e.length >= 2 ? e : undefined;
      });
      expect(events).toEqual(['INVENTORY_INCREASED', 'PRODUCT_UPDATED']);
      expect((await processorProduct(c, c.ids.PA)).inventory).toBe(4321);
    },
  ),
].map((r): [Surface, Row] => [productUpdates, r]);

export const ORDER_EVENT_ROWS: [Surface, Row][] = [
  oe('malformed JSON', '{"orderId": "o1", ', /malformed JSON/),
  oe('binary garbage (invalid UTF-8)', GARBAGE, /malformed JSON/),
  oe('null value (tombstone)', null, /tombstone/),
  oe('negative quantity (F-FL-1)', (c) => json(orderEvent('neg', c.ids.PA, -5)), /quantity/),
  oe('zero quantity', (c) => json(orderEvent('zero', c.ids.PA, 0)), /quantity/),
  oe('fractional quantity 1.5', (c) => json(orderEvent('frac', c.ids.PA, 1.5)), /quantity/),
  oe(
    'quantity 1,000,000 (above the line maximum)',
    (c) => json(orderEvent('huge', c.ids.PA, 1_000_000)),
    /quantity/,
  ),
  oe(
    'wrong type: quantity "2" (string)',
    (c) => json(orderEvent('str', c.ids.PA, '2' as unknown as number)),
    /quantity/,
  ),
  oe(
    'eventId that is not orderId:productId',
    (c) => json(orderEvent('ev', c.ids.PA, 1, { eventId: 'forged' })),
    /eventId/,
  ),
  oe('missing orderId', (c) => json({ ...orderEvent('x', c.ids.PA, 1), orderId: undefined }), /orderId/),
  oe('unknown source "web"', (c) => json(orderEvent('src', c.ids.PA, 1, { source: 'web' })), /source/),
  oe(
    'timestamp as an ISO string',
    (c) => json(orderEvent('ts', c.ids.PA, 1, { timestamp: '2024-01-01T00:00:00Z' })),
    /timestamp/,
  ),
  effect(
    orderEvents,
    'order for an unknown product (F-FL-6)',
    'order-status REJECTED / UNKNOWN_PRODUCT, nothing dropped silently',
    async (c) => {
      const orderId = `unknown-${c.ids.run}`;
      await send(c, c.topics.orderEvents, c.ids.NOPE, json(orderEvent(orderId, c.ids.NOPE, 1)));
      expect(await orderStatus(c, orderId)).toMatchObject({
        status: 'REJECTED',
        reason: 'UNKNOWN_PRODUCT',
        remainingInventory: null,
      });
    },
  ),
  effect(
    orderEvents,
    'over-ordering: 4 of a product with 3 left (F-FL-1)',
    'REJECTED / INSUFFICIENT_STOCK, stock stays 3 (never negative, never clamped)',
    async (c) => {
      const orderId = `over-${c.ids.run}`;
      await send(c, c.topics.orderEvents, c.ids.PB, json(orderEvent(orderId, c.ids.PB, 4)));
      expect(await orderStatus(c, orderId)).toMatchObject({
        status: 'REJECTED',
        reason: 'INSUFFICIENT_STOCK',
        remainingInventory: 3,
      });
      expect((await processorProduct(c, c.ids.PB)).inventory).toBe(3);
    },
  ),
  effect(
    orderEvents,
    'duplicate: the same order line twice',
    'deducted once, one order-status',
    async (c) => {
      const before = (await processorProduct(c, c.ids.PA)).inventory;
      const line = json(orderEvent(`dup-${c.ids.run}`, c.ids.PA, 2));
      await send(c, c.topics.orderEvents, c.ids.PA, line);
      await send(c, c.topics.orderEvents, c.ids.PA, line);
      await orderStatus(c, `dup-${c.ids.run}`);
      await orderEvents.followUp(c, tag('dup-marker')); // after the copy: the copy was processed
      expect(statusesOf(c, `dup-${c.ids.run}`)).toHaveLength(1);
      expect((await processorProduct(c, c.ids.PA)).inventory).toBe(before - 2 - 1);
    },
  ),
  effect(
    orderEvents,
    'out of order: lines X, Y, then X redelivered',
    'X not applied again; stock = start − X − Y',
    async (c) => {
      const before = (await processorProduct(c, c.ids.PA)).inventory;
      const x = json(orderEvent(`x-${c.ids.run}`, c.ids.PA, 2));
      await send(c, c.topics.orderEvents, c.ids.PA, x);
      await send(c, c.topics.orderEvents, c.ids.PA, json(orderEvent(`y-${c.ids.run}`, c.ids.PA, 3)));
      await send(c, c.topics.orderEvents, c.ids.PA, x);
      await orderEvents.followUp(c, tag('ooo-marker'));
      expect(statusesOf(c, `x-${c.ids.run}`)).toHaveLength(1);
      expect((await processorProduct(c, c.ids.PA)).inventory).toBe(before - 2 - 3 - 1);
    },
  ),
  effect(
    orderEvents,
    'unknown field (coupon)',
    'applied without it (tolerant reader): RESERVED',
    async (c) => {
      const orderId = `coupon-${c.ids.run}`;
      await send(
        c,
        c.topics.orderEvents,
        c.ids.PA,
        json(orderEvent(orderId, c.ids.PA, 1, { coupon: 'FREE100' })),
      );
      expect((await orderStatus(c, orderId)).status).toBe('RESERVED');
    },
  ),
  effect(
    orderEvents,
    'record key ≠ productId (on another partition)',
    "re-keyed to the productId's partition: RESERVED once",
    async (c) => {
      const orderId = `rekey-${c.ids.run}`;
      const key = idOnPartition('WRONG_KEY_', (partitionOf(c.ids.PA) + 1) % 3);
      await send(c, c.topics.orderEvents, key, json(orderEvent(orderId, c.ids.PA, 1)));
      expect((await orderStatus(c, orderId)).status).toBe('RESERVED');
    },
  ),
  effect(
    orderEvents,
    'a 1 MiB order line (valid, plus a 1 MB unknown field)',
    'applied once without the field: RESERVED',
    async (c) => {
      const orderId = `big-${c.ids.run}`;
      const line = padded(orderEvent(orderId, c.ids.PA, 1), AT_BROKER_LIMIT_BYTES);
      await send(c, c.topics.orderEvents, c.ids.PA, line);
      expect((await orderStatus(c, orderId)).status).toBe('RESERVED');
    },
  ),
].map((r): [Surface, Row] => [orderEvents, r]);

export const CDC_ROW_ROWS: [Surface, Row][] = [
  effect(
    cdcRows,
    'one transaction: a good line + a line of quantity 5000',
    'bad line → dead-letters (cdc-worker, origin public.order_items @ LSN); good line RESERVED',
    async (c) => {
      const orderId = `cdc-big-${c.ids.run}`;
      await insertOrder(c.pool, orderId, 'cdc', [
        { productId: c.ids.PC, quantity: 1 },
        { productId: c.ids.PA, quantity: 5000 },
      ]);
      const dl = await waitFor('cdc dead letter', () => cdcDeadLetter(c, orderId, c.ids.PA));
      expect(dl.headers['dlq.error']).toMatch(/quantity/);
      await waitFor(
        'good line reserved',
        async () => (await lineStatus(c.pool, orderId, c.ids.PC))?.status === 'RESERVED',
      );
    },
  ),
  effect(
    cdcRows,
    "product_id 'BAD ID' (space) typed in SQL",
    'dead-letters (cdc-worker) naming productId; no order event',
    async (c) => {
      const orderId = `cdc-badid-${c.ids.run}`;
      await insertOrder(c.pool, orderId, 'cdc', [{ productId: 'BAD ID', quantity: 1 }]);
      const dl = await waitFor('cdc dead letter', () => cdcDeadLetter(c, orderId, 'BAD ID'));
      expect(dl.headers['dlq.error']).toMatch(/productId/);
    },
  ),
  effect(
    cdcRows,
    'line for an unknown product',
    'line REJECTED / UNKNOWN_PRODUCT in Postgres, order REJECTED',
    async (c) => {
      const orderId = `cdc-unknown-${c.ids.run}`;
      await insertOrder(c.pool, orderId, 'cdc', [{ productId: c.ids.NOPE, quantity: 1 }]);
      await waitFor(
        'line rejected',
        async () => (await lineStatus(c.pool, orderId, c.ids.NOPE))?.reason === 'UNKNOWN_PRODUCT',
        { timeoutMs: 30_000 },
      );
      expect((await api(c, 'GET', `/api/ecommerce/orders/${orderId}`)).body.status).toBe('REJECTED');
    },
  ),
  effect(
    cdcRows,
    'a captured line edited afterwards (UPDATE quantity 1 → 7)',
    'no second order event, stock unchanged',
    async (c) => {
      const orderId = `cdc-edit-${c.ids.run}`;
      const before = (await processorProduct(c, c.ids.PC)).inventory;
      await insertOrder(c.pool, orderId, 'cdc', [{ productId: c.ids.PC, quantity: 1 }]);
      await waitFor(
        'line reserved',
        async () => (await lineStatus(c.pool, orderId, c.ids.PC))?.status === 'RESERVED',
        { timeoutMs: 30_000 },
      );
      await c.pool.query('UPDATE order_items SET quantity = 7 WHERE order_id = $1', [orderId]);
      await cdcRows.followUp(c, tag('edit-marker')); // committed after the UPDATE: its changes were captured
      expect(c.out.of(c.topics.orderEvents).filter((r) => r.json?.orderId === orderId)).toHaveLength(1);
      expect((await processorProduct(c, c.ids.PC)).inventory).toBe(before - 1);
    },
  ),
  effect(
    cdcRows,
    'orders row with a 1 MB shipping_address (typed in SQL)',
    'its change is too big for a Kafka record → dead-letters (cdc-worker), cut to fit; later orders still flow',
    async (c) => {
      const orderId = `cdc-huge-${c.ids.run}`;
      await insertOrder(c.pool, orderId, 'cdc', [], async (client) => {
        await client.query('UPDATE orders SET shipping_address = $2::jsonb WHERE order_id = $1', [
          orderId,
          json({ note: 'x'.repeat(1_100_000) }),
        ]);
      });
      await waitFor('cdc dead letter of the huge orders row', () =>
        c.out
          .of(c.topics.deadLetters)
          .find(
            (r) =>
              r.headers['dlq.component'] === CDC &&
              r.headers['dlq.origin.topic'] === 'public.orders' &&
              r.value!.includes(orderId),
          ),
      );
    },
  ),
  effect(
    cdcRows,
    'a line published by both paths (order direct and unpublished, its line typed as cdc)',
    'two order events with one eventId, deducted once (F-C-1, second guard)',
    async (c) => {
      const orderId = `both-${c.ids.run}`;
      const before = (await processorProduct(c, c.ids.PC)).inventory;
      await insertOrder(c.pool, orderId, 'direct', [], async (client) => {
        await client.query('UPDATE orders SET published = false WHERE order_id = $1', [orderId]);
        await client.query(
          `INSERT INTO order_items (order_id, product_id, product_name, quantity, unit_price, line_total, publish_mode)
             VALUES ($1, $2, 'sweep line', 2, '1.00', '2.00', 'cdc')`,
          [orderId, c.ids.PC],
        );
      });
      const events = await waitFor('the line published by the API and by the CDC worker', () => {
        const e = c.out.of(c.topics.orderEvents).filter((r) => r.json?.orderId === orderId);
        return e.length >= 2 ? e : undefined;
      });
      expect(events.map((e) => e.json.source).sort()).toEqual(['api', 'cdc']);
      await cdcRows.followUp(c, tag('both-marker'));
      expect(statusesOf(c, orderId)).toHaveLength(1);
      expect((await processorProduct(c, c.ids.PC)).inventory).toBe(before - 2);
    },
  ),
].map((r): [Surface, Row] => [cdcRows, r]);

function cdcDeadLetter(c: SweepContext, orderId: string, productId: string) {
  return c.out
    .of(c.topics.deadLetters)
    .find(
      (r) =>
        r.headers['dlq.component'] === CDC &&
        r.headers['dlq.origin.topic'] === 'public.order_items' &&
        /^\d+$/.test(r.headers['dlq.origin.offset'] ?? '') &&
        r.json?.after?.order_id === orderId &&
        r.json?.after?.product_id === productId,
    );
}

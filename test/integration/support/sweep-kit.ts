/**
 * The vocabulary of the bad-input sweep: a row is {surface, input, expected, run}; a surface knows
 * where its records go, which component judges them and how to prove "the stream goes on" (a good
 * input after the bad one is still processed). Helpers here send records, wait for dead letters by
 * their origin, and seed Postgres rows the way the checkout does.
 */
import { DEAD_LETTER_HEADERS, orderItemEventId, type Product } from '@kartshoppe/contracts';
import type { Kafka, Producer } from 'kafkajs';
import type { Pool } from 'pg';
import WebSocket from 'ws';
import { waitFor } from '../../support/infra';
import { partitionForKey } from '../../../services/inventory-processor/src/streams/murmur2.partitioner';
import { PARTITIONS, type Collected, type Platform, type SweepTopics, collect } from './sweep-platform';

export interface SweepContext {
  kafka: Kafka;
  producer: Producer;
  platform: Platform;
  pool: Pool;
  out: Awaited<ReturnType<typeof collect>>;
  topics: SweepTopics;
  /**
   * PA, PC: plenty of stock; PB: 3 left; NOPE: never created (all four on one partition, so a good
   * record for PA proves that partition goes on). RM, RM2: known only to the API's read model (the
   * sweep writes them to `products` itself); RM2 is the read model's "stream goes on" marker.
   */
  ids: { run: string; PA: string; PB: string; PC: string; NOPE: string; RM: string; RM2: string };
  /** RM2's current version (bumped by every marker). */
  rm2: { version: number };
}

export interface Row {
  surface: string;
  input: string;
  expected: string;
  run(c: SweepContext): Promise<void>;
  /** Checked after the surface's follow-up went through (e.g. "the bad array changed nothing"). */
  then?(c: SweepContext): Promise<void>;
}

export interface Surface {
  name: string;
  followUp(c: SweepContext, tag: string): Promise<void>;
}

export type RecordValue = string | Buffer | null;

export function partitionOf(key: string): number {
  return partitionForKey(key, PARTITIONS);
}

/** Produces one record (to `partition`, or the key's default partition) and returns where it landed. */
export async function send(
  c: SweepContext,
  topic: string,
  key: string | null,
  value: RecordValue,
  partition?: number,
): Promise<{ topic: string; partition: number; offset: string }> {
  const [meta] = await c.producer.send({
    topic,
    acks: -1,
    messages: [{ key, value, ...(partition === undefined ? {} : { partition }) }],
  });
  return { topic, partition: meta!.partition, offset: meta!.baseOffset! };
}

export const json = (value: unknown): string => JSON.stringify(value);

/** The dead letter of one input record, found by its origin headers; checks component, error, bytes. */
export async function expectDeadLetter(
  c: SweepContext,
  origin: { topic: string; partition: number; offset: string },
  original: RecordValue,
  component: string,
  error: RegExp,
): Promise<Collected> {
  const dl = await waitFor(`dead letter of ${origin.topic}/${origin.partition}@${origin.offset}`, () =>
    c.out
      .of(c.topics.deadLetters)
      .find(
        (r) =>
          r.headers[DEAD_LETTER_HEADERS.originTopic] === origin.topic &&
          r.headers[DEAD_LETTER_HEADERS.originPartition] === String(origin.partition) &&
          r.headers[DEAD_LETTER_HEADERS.originOffset] === origin.offset,
      ),
  );
  expect(dl.headers[DEAD_LETTER_HEADERS.component]).toBe(component);
  expect(dl.headers[DEAD_LETTER_HEADERS.error]).toMatch(error);
  expect(dl.headers[DEAD_LETTER_HEADERS.failedAtMs]).toMatch(/^\d+$/);
  const kept = original === null ? null : Buffer.from(original);
  if (kept === null) expect(dl.value).toBeNull();
  else if (/truncated/.test(dl.headers[DEAD_LETTER_HEADERS.error]!)) {
    // Too big to dead-letter whole: a prefix of the bytes is kept, the origin offset has the rest.
    expect(kept.subarray(0, dl.value!.length).equals(dl.value!)).toBe(true);
  } else expect(dl.value?.equals(kept)).toBe(true);
  return dl;
}

/** A poison row: the record goes to dead-letters with its origin headers and nothing else happens. */
export function poison(
  surface: string,
  input: string,
  target: (c: SweepContext) => { topic: string; key: string | null; partition: number },
  value: RecordValue | ((c: SweepContext) => RecordValue),
  component: string,
  error: RegExp,
  expected = `dead-letters (${component}), error ~ ${error.source}`,
): Row {
  return {
    surface,
    input,
    expected,
    async run(c) {
      const t = target(c);
      const v = typeof value === 'function' ? value(c) : value;
      const origin = await send(c, t.topic, t.key, v, t.partition);
      await expectDeadLetter(c, origin, v, component, error);
    },
  };
}

// ---- processor state and records ---------------------------------------------------------------------

export async function processorProduct(c: SweepContext, productId: string): Promise<any> {
  const r = await c.platform.processor.get(`/state/products/${encodeURIComponent(productId)}`);
  return r.status === 200 ? r.body : undefined;
}

export function orderEvent(orderId: string, productId: string, quantity: number, over: object = {}) {
  return {
    eventId: orderItemEventId(orderId, productId),
    orderId,
    productId,
    quantity,
    timestamp: Date.now(),
    source: 'api',
    ...over,
  };
}

export function statusesOf(c: SweepContext, orderId: string): any[] {
  return c.out
    .of(c.topics.orderStatus)
    .filter((r) => r.key?.toString() === orderId)
    .map((r) => r.json);
}

export async function orderStatus(c: SweepContext, orderId: string): Promise<any> {
  return waitFor(`order-status of ${orderId}`, () => statusesOf(c, orderId)[0]);
}

// ---- the API ------------------------------------------------------------------------------------------

export async function api(
  c: SweepContext,
  method: string,
  path: string,
  body?: string | Buffer,
  contentType = 'application/json',
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${c.platform.apiUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': contentType },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) };
  } catch {
    return { status: res.status, body: text };
  }
}

/** An error body: the status, and the message plus the named fields as one searchable text. */
export function errorText(r: { body: any }): string {
  return `${r.body?.message ?? r.body} ${JSON.stringify(r.body?.fields ?? [])}`;
}

/** A full, valid product (the sweep's own products: PA, PB, PC via product-updates, RM, RM2 via products). */
export function fullProduct(productId: string, over: Partial<Product> = {}): Product {
  return {
    productId,
    name: `Sweep product ${productId}`,
    description: 'a product of the bad-input sweep',
    category: 'Sweep',
    brand: 'Sweep',
    price: 5,
    inventory: 40,
    imageUrl: '',
    tags: [],
    rating: 4,
    reviewCount: 0,
    ...over,
  };
}

/** An InventoryEvent (inventory-events / websocket_fanout) for a read-model product. */
export function rmEvent(productId: string, version: number, over: object = {}) {
  return {
    productId,
    productName: `Sweep product ${productId}`,
    eventType: 'INVENTORY_DECREASED',
    previousInventory: 40,
    currentInventory: 39,
    previousPrice: 5,
    currentPrice: 5,
    changeReason: 'sweep',
    timestamp: Date.now(),
    version,
    ...over,
  };
}

export async function apiInventory(c: SweepContext, productId: string): Promise<number | undefined> {
  const r = await api(c, 'GET', `/api/ecommerce/product/${productId}`);
  return r.status === 200 ? r.body.inventory : undefined;
}

// ---- Postgres rows (what a checkout writes, or a workshop user typing SQL) -------------------------------

export async function insertOrder(
  pool: Pool,
  orderId: string,
  mode: 'cdc' | 'direct',
  lines: { productId: string; quantity: number }[],
  beforeCommit?: (client: import('pg').PoolClient) => Promise<void>,
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO orders (order_id, session_id, customer_id, status, publish_mode, published, subtotal, tax,
                           shipping, total, payment_method)
       VALUES ($1, 'sweep-seed', 'sweep', 'PENDING', $2, true, '10.00', '0.80', '5.99', '16.79', 'credit_card')`,
      [orderId, mode],
    );
    for (const l of lines) {
      await client.query(
        `INSERT INTO order_items (order_id, product_id, product_name, quantity, unit_price, line_total, publish_mode)
         VALUES ($1, $2, 'sweep line', $3::int, '1.00', $3::int, $4)`,
        [orderId, l.productId, l.quantity, mode],
      );
    }
    await beforeCommit?.(client);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK');
    throw e;
  } finally {
    client.release();
  }
}

export async function lineStatus(
  pool: Pool,
  orderId: string,
  productId: string,
): Promise<{ status: string; reason: string | null } | undefined> {
  const r = await pool.query(
    'SELECT status, reason FROM order_items WHERE order_id = $1 AND product_id = $2',
    [orderId, productId],
  );
  return r.rows[0];
}

// ---- WebSocket -----------------------------------------------------------------------------------------

export interface TestSocket {
  ws: WebSocket;
  messages: any[];
  opened: Promise<boolean>;
  closed: Promise<{ code: number; reason: string }>;
}

/** Opens a socket; `opened` resolves false when the upgrade is refused (the connection errors). */
export function openSocket(url: string): TestSocket {
  const ws = new WebSocket(url);
  const messages: any[] = [];
  ws.on('message', (data, isBinary) => {
    if (!isBinary) messages.push(JSON.parse(data.toString()));
  });
  const opened = new Promise<boolean>((resolve) => {
    ws.once('open', () => resolve(true));
    ws.once('error', () => resolve(false));
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  return { ws, messages, opened, closed };
}

/**
 * The read model's "stream goes on" marker: RM2 gets a newer version with a new stock figure through
 * `topic` (a full product on `products`, an InventoryEvent on inventory-events / websocket_fanout) on
 * the partition the sweep's read-model records use, and the API must show it.
 */
export async function bumpReadModel(c: SweepContext, topic = c.topics.products): Promise<number> {
  const version = ++c.rm2.version;
  const inventory = 100 + version;
  const value =
    topic === c.topics.products
      ? fullProduct(c.ids.RM2, { inventory, version })
      : rmEvent(c.ids.RM2, version, { currentInventory: inventory });
  await send(c, topic, c.ids.RM2, json(value), partitionOf(c.ids.RM));
  await waitFor(
    `API to show ${c.ids.RM2} inventory ${inventory}`,
    async () => (await apiInventory(c, c.ids.RM2)) === inventory,
  );
  return inventory;
}

/** A socket that is still open receives a PRODUCT_UPDATE of RM after a change. */
export async function expectLiveUpdates(c: SweepContext, socket: TestSocket): Promise<void> {
  const inventory = await bumpReadModel(c);
  await waitFor('PRODUCT_UPDATE on the socket', () =>
    socket.messages.some(
      (m) =>
        m.eventType === 'PRODUCT_UPDATE' &&
        m.payload.productId === c.ids.RM2 &&
        m.payload.inventory === inventory,
    ),
  );
}

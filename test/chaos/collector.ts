/**
 * Reads what the platform committed, for the verifier: Postgres (orders and their lines), every topic
 * the checks need from the beginning to its end, read_committed (aborted transactions of killed
 * processors are invisible, as to any consumer), the processors' interactive queries and the API's
 * read model.
 */
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import { Client } from 'pg';
import { DEAD_LETTER_HEADERS, TOPICS } from '@kartshoppe/contracts';
import { installReadCommittedFix } from '@kartshoppe/runtime';
import { API_URL, KAFKA_BROKERS, PG_CONFIG, PROCESSOR_URLS } from './platform.env';
import { POISON_HEADER, RESTOCK_HEADER } from './poison';
import type { AcknowledgedOrder, ChaosRecords, ItemStatus, PostgresOrder, ProductStock } from './records';

export interface TopicRecord {
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

function headers(m: KafkaMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.headers ?? {})) if (v !== undefined) out[k] = String(v);
  return out;
}

/** Every committed record of `topics`, per topic in partition order, up to the end offsets seen at the start. */
export async function readTopics(topics: string[], timeoutMs = 180_000): Promise<Map<string, TopicRecord[]>> {
  // kafkajs alone lets records of aborted transactions through (services/runtime/src/read-committed.ts).
  installReadCommittedFix();
  const kafka = new Kafka({ clientId: 'chaos-verifier', brokers: KAFKA_BROKERS, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const pending = new Map<string, bigint>();
  try {
    for (const topic of topics)
      for (const p of await admin.fetchTopicOffsets(topic))
        if (BigInt(p.high) > BigInt(p.low)) pending.set(`${topic}:${p.partition}`, BigInt(p.high));
  } finally {
    await admin.disconnect();
  }
  const out = new Map<string, TopicRecord[]>(topics.map((t) => [t, []]));
  if (pending.size === 0) return out;
  const consumer = kafka.consumer({
    groupId: `chaos-verifier-${randomBytes(4).toString('hex')}`,
    readUncommitted: false,
    maxWaitTimeInMs: 200,
    maxBytes: 32 * 1024 * 1024,
  });
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  // Batches holding only transaction markers or aborted records never reach eachBatch; this event does.
  consumer.on(consumer.events.END_BATCH_PROCESS, (e) => {
    const key = `${e.payload.topic}:${e.payload.partition}`;
    const end = pending.get(key);
    if (end !== undefined && BigInt(e.payload.lastOffset) + 1n >= end) pending.delete(key);
    if (pending.size === 0) resolveDone();
  });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      const list = out.get(batch.topic)!;
      for (const m of batch.messages)
        list.push({
          partition: batch.partition,
          offset: m.offset,
          key: m.key?.toString('utf8') ?? null,
          value: m.value?.toString('utf8') ?? null,
          headers: headers(m),
        });
    },
  });
  const timer = setTimeout(resolveDone, timeoutMs);
  await done;
  clearTimeout(timer);
  await consumer.disconnect();
  if (pending.size > 0)
    throw new Error(`could not read to the end of ${[...pending.keys()].join(', ')} in ${timeoutMs} ms`);
  return out;
}

function json(value: string | null): any {
  try {
    return value === null ? undefined : JSON.parse(value);
  } catch {
    return undefined;
  }
}

export async function readPostgresOrders(): Promise<PostgresOrder[]> {
  const client = new Client(PG_CONFIG);
  await client.connect();
  try {
    const { rows } = await client.query<{
      order_id: string;
      session_id: string;
      idempotency_key: string | null;
      publish_mode: 'direct' | 'cdc';
      order_status: string;
      product_id: string;
      quantity: number;
      status: ItemStatus;
    }>(
      `SELECT o.order_id, o.session_id, o.idempotency_key, o.publish_mode, o.status AS order_status,
              i.product_id, i.quantity, i.status
         FROM orders o JOIN order_items i ON i.order_id = o.order_id ORDER BY o.order_id, i.product_id`,
    );
    const orders = new Map<string, PostgresOrder>();
    for (const r of rows) {
      let order = orders.get(r.order_id);
      if (!order) {
        order = {
          orderId: r.order_id,
          sessionId: r.session_id,
          idempotencyKey: r.idempotency_key,
          publishMode: r.publish_mode,
          status: r.order_status,
          items: [],
        };
        orders.set(r.order_id, order);
      }
      order.items.push({ productId: r.product_id, quantity: r.quantity, status: r.status });
    }
    return [...orders.values()];
  } finally {
    await client.end();
  }
}

/** Both processor instances' local products, merged (each answers for the partitions it owns). */
export async function readProcessorState(): Promise<ProductStock[]> {
  const merged = new Map<string, ProductStock>();
  for (const url of PROCESSOR_URLS) {
    const res = await fetch(`${url}/state/products`, { signal: AbortSignal.timeout(10_000) });
    const body = (await res.json()) as { products: ProductStock[] };
    for (const p of body.products)
      merged.set(p.productId, { productId: p.productId, inventory: p.inventory, version: p.version });
  }
  return [...merged.values()];
}

export async function readApiReadModel(): Promise<ProductStock[] | undefined> {
  try {
    const res = await fetch(`${API_URL}/api/ecommerce/inventory/state`, {
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await res.json()) as { products: ProductStock[] };
    return body.products.map((p) => ({ productId: p.productId, inventory: p.inventory, version: p.version }));
  } catch {
    return undefined;
  }
}

export async function collect(
  catalog: ProductStock[],
  acknowledged: AcknowledgedOrder[],
): Promise<ChaosRecords> {
  const topics = await readTopics([
    TOPICS.productUpdates,
    TOPICS.orderEvents,
    TOPICS.orderStatus,
    TOPICS.inventoryEvents,
    TOPICS.products,
    TOPICS.deadLetters,
  ]);
  const of = (t: string) => topics.get(t)!;
  const poison = [TOPICS.productUpdates, TOPICS.orderEvents].flatMap((topic) =>
    of(topic)
      .filter((r) => r.headers[POISON_HEADER] !== undefined)
      .map((r) => ({ kind: r.headers[POISON_HEADER]!, topic, partition: r.partition, offset: r.offset })),
  );
  const restocks = of(TOPICS.productUpdates)
    .filter((r) => r.headers[RESTOCK_HEADER] !== undefined)
    .map((r) => ({ ...json(r.value), partition: r.partition, offset: r.offset }));
  const orderEvents = of(TOPICS.orderEvents)
    .filter((r) => r.headers[POISON_HEADER] === undefined)
    .map((r) => json(r.value))
    .filter((e) => e && typeof e.eventId === 'string');
  const products = new Map<string, ProductStock>();
  for (const r of of(TOPICS.products)) {
    const p = json(r.value);
    if (p?.productId)
      products.set(p.productId, { productId: p.productId, inventory: p.inventory, version: p.version });
  }
  const [postgresOrders, processorState, apiReadModel] = await Promise.all([
    readPostgresOrders(),
    readProcessorState(),
    readApiReadModel(),
  ]);
  return {
    catalog,
    acknowledged,
    restocks,
    poison,
    postgresOrders,
    orderEvents,
    orderStatuses: of(TOPICS.orderStatus)
      .map((r) => json(r.value))
      .filter(Boolean),
    inventoryEvents: of(TOPICS.inventoryEvents)
      .map((r) => json(r.value))
      .filter(Boolean),
    productsTopic: [...products.values()],
    deadLetters: of(TOPICS.deadLetters).map((r) => ({
      originTopic: r.headers[DEAD_LETTER_HEADERS.originTopic] ?? '',
      originPartition: Number(r.headers[DEAD_LETTER_HEADERS.originPartition]),
      originOffset: r.headers[DEAD_LETTER_HEADERS.originOffset] ?? '',
      component: r.headers[DEAD_LETTER_HEADERS.component] ?? '',
    })),
    processorState,
    apiReadModel,
  };
}

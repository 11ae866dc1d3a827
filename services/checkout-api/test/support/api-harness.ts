import 'reflect-metadata';
import { createLogger } from '@kartshoppe/runtime';
import type { Product } from '@kartshoppe/contracts';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { createApp } from '../../src/app.factory';
import type { ApiRuntime } from '../../src/api.runtime';
import { loadApiConfig, type ApiConfig } from '../../src/config/api.config';
import {
  testKafkaBrokers,
  testPgConfig,
  testServiceEnv,
  uniqueName,
  waitFor,
} from '../../../../test/support/infra';

export interface TestTopics {
  products: string;
  inventoryEvents: string;
  websocketFanout: string;
  inventoryAlerts: string;
  orderStatus: string;
  orderEvents: string;
  deadLetters: string;
}

/** Unique topics per test file, created up front (the broker does not auto-create). */
export async function createTestTopics(admin: Admin, partitions = 3): Promise<TestTopics> {
  const topics: TestTopics = {
    products: uniqueName('it-products'),
    inventoryEvents: uniqueName('it-inventory-events'),
    websocketFanout: uniqueName('it-websocket-fanout'),
    inventoryAlerts: uniqueName('it-inventory-alerts'),
    orderStatus: uniqueName('it-order-status'),
    orderEvents: uniqueName('it-order-events'),
    deadLetters: uniqueName('it-dead-letters'),
  };
  await admin.createTopics({
    waitForLeaders: true,
    topics: Object.values(topics).map((topic) => ({
      topic,
      numPartitions: partitions,
      replicationFactor: 1,
    })),
  });
  return topics;
}

export function topicEnv(t: TestTopics): Record<string, string> {
  return {
    TOPIC_PRODUCTS: t.products,
    TOPIC_INVENTORY_EVENTS: t.inventoryEvents,
    TOPIC_WEBSOCKET_FANOUT: t.websocketFanout,
    TOPIC_INVENTORY_ALERTS: t.inventoryAlerts,
    TOPIC_ORDER_STATUS: t.orderStatus,
    TOPIC_ORDER_EVENTS: t.orderEvents,
    TOPIC_DEAD_LETTERS: t.deadLetters,
  };
}

export interface RunningApi {
  app: NestFastifyApplication;
  runtime: ApiRuntime;
  config: ApiConfig;
  baseUrl: string;
  wsUrl: string;
  stop(): Promise<void>;
}

/** Boots the real app in-process on a free port with the test infra and the given overrides. */
export async function startApi(env: Record<string, string>): Promise<RunningApi> {
  const config = loadApiConfig(
    testServiceEnv({
      API_PORT: '1',
      STOREFRONT_DIR: '/nonexistent',
      READ_MODEL_GROUP_PREFIX: uniqueName('it-read-model'),
      ORDER_STATUS_GROUP_ID: uniqueName('it-order-status-group'),
      OUTBOX_POLL_MS: '200',
      OUTBOX_GRACE_MS: '300',
      READ_MODEL_WARMUP_MAX_MS: '20000',
      PG_POOL_MAX: '10',
      ...env,
    }),
  );
  const { app, runtime } = await createApp(
    config,
    createLogger('checkout-api-it', process.env.TEST_LOG_LEVEL ?? 'silent'),
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  runtime.start(app.getHttpServer());
  const { port } = app.getHttpServer().address() as AddressInfo;
  let stopped = false;
  return {
    app,
    runtime,
    config,
    baseUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    async stop() {
      if (stopped) return;
      stopped = true;
      await runtime.closeSockets();
      await app.close();
      await runtime.stop();
    },
  };
}

export function testKafka(brokers = testKafkaBrokers()): Kafka {
  return new Kafka({ clientId: uniqueName('it-client'), brokers, logLevel: logLevel.NOTHING });
}

export function testPool(): Pool {
  return new Pool({ ...testPgConfig(), max: 3 });
}

export async function produceJson(
  producer: Producer,
  topic: string,
  key: string,
  value: unknown,
): Promise<void> {
  await producer.send({
    topic,
    acks: -1,
    messages: [{ key, value: typeof value === 'string' ? value : JSON.stringify(value) }],
  });
}

/** Reads every record of a topic from the beginning until `until` holds or the deadline passes. */
export async function readTopic(
  kafka: Kafka,
  topic: string,
  until: (records: { key: string | null; value: string | null; partition: number }[]) => boolean,
  timeoutMs = 15_000,
) {
  const consumer = kafka.consumer({ groupId: uniqueName('it-reader'), maxWaitTimeInMs: 100 });
  const records: { key: string | null; value: string | null; partition: number }[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message, partition }) => {
      records.push({
        key: message.key?.toString() ?? null,
        value: message.value?.toString() ?? null,
        partition,
      });
    },
  });
  try {
    await waitFor(`records on ${topic}`, () => until(records), { timeoutMs });
  } finally {
    await consumer.disconnect();
  }
  return records;
}

export function product(productId: string, over: Partial<Product> = {}): Product {
  return {
    productId,
    name: `Product ${productId}`,
    description: 'integration test product',
    category: 'Electronics',
    brand: 'Test',
    price: 1899.99,
    inventory: 50,
    imageUrl: '',
    tags: ['test'],
    rating: 4,
    reviewCount: 1,
    version: 1,
    ...over,
  };
}

export async function json(res: Response): Promise<any> {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function http(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: await json(res) };
}

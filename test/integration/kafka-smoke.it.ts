/**
 * Smoke test of the test broker (native Kafka, KRaft) with the client every service uses (kafkajs via
 * @kartshoppe/runtime): the features the platform relies on — explicit topics, idempotent producers,
 * committed group offsets, and transactions (consume-process-produce with offsets, read_committed).
 */
import type { Admin, Consumer, EachMessagePayload, Kafka, Producer } from 'kafkajs';
import { createKafka, createLogger, KafkaEnvSchema, parseEnv } from '@kartshoppe/runtime';
import { testServiceEnv, uniqueName, waitFor } from '../support/infra';

jest.setTimeout(60_000);

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
// Transient coordinator-loading errors on a fresh broker are retried by kafkajs; keep the output quiet.
const logger = createLogger('kafka-smoke', process.env.TEST_LOG_LEVEL ?? 'fatal');
const kafka: Kafka = createKafka(
  parseEnv('kafka-smoke', KafkaEnvSchema, testServiceEnv()),
  'kafka-smoke',
  logger,
);
const toClose: { disconnect(): Promise<void> }[] = [];

function track<T extends Admin | Producer | Consumer>(client: T): T {
  toClose.push(client);
  return client;
}

/**
 * Starts a consumer that records every message it receives, from the start of the topic. A short fetch
 * wait keeps disconnects fast (kafkajs waits for the in-flight fetch, 5 s by default).
 */
async function recordingConsumer(topic: string, groupId: string, readUncommitted = false) {
  const consumer = track(
    kafka.consumer({ groupId, readUncommitted, sessionTimeout: 10_000, maxWaitTimeInMs: 100 }),
  );
  const seen: EachMessagePayload['message'][] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ autoCommit: false, eachMessage: async ({ message }) => void seen.push(message) });
  return { consumer, seen, values: () => seen.map((m) => m.value?.toString()) };
}

let admin: Admin;

beforeAll(async () => {
  admin = track(kafka.admin());
  await admin.connect();
});

afterAll(async () => {
  await Promise.all(toClose.map((client) => client.disconnect().catch(() => undefined)));
});

async function createTopic(
  prefix: string,
  numPartitions = 1,
  configEntries: { name: string; value: string }[] = [],
) {
  const topic = uniqueName(prefix);
  await admin.createTopics({
    waitForLeaders: true,
    topics: [{ topic, numPartitions, replicationFactor: 1, configEntries }],
  });
  return topic;
}

test('admin creates and describes a compacted topic (auto-creation is off)', async () => {
  const topic = await createTopic('smoke-admin', 3, [{ name: 'cleanup.policy', value: 'compact' }]);
  const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
  expect(metadata.topics[0].partitions).toHaveLength(3);
  const configs = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [{ type: 2 /* TOPIC */, name: topic, configNames: ['cleanup.policy'] }],
  });
  expect(configs.resources[0].configEntries[0].configValue).toBe('compact');
  // The broker must not create topics on first use (F-REL-4: the original relied on auto-creation).
  const producer = track(kafka.producer({ retry: { retries: 0 } }));
  await producer.connect();
  await expect(
    producer.send({ topic: uniqueName('smoke-missing'), messages: [{ value: 'x' }], timeout: 2_000 }),
  ).rejects.toThrow();
});

test('an idempotent producer writes and a consumer group resumes after its committed offset', async () => {
  const topic = await createTopic('smoke-group');
  const groupId = uniqueName('smoke-group');
  const producer = track(kafka.producer({ idempotent: true, maxInFlightRequests: 1 }));
  await producer.connect();
  await producer.send({ topic, messages: ['m0', 'm1', 'm2', 'm3'].map((value) => ({ key: 'k', value })) });

  const first = await recordingConsumer(topic, groupId);
  await waitFor('the first consumer to read 4 messages', () => first.seen.length >= 4);
  // Processed m0..m1: the committed offset is the next one to read (as a string, never a number).
  await first.consumer.commitOffsets([{ topic, partition: 0, offset: '2' }]);
  await first.consumer.disconnect();

  await producer.send({ topic, messages: [{ key: 'k', value: 'm4' }] });
  const second = await recordingConsumer(topic, groupId);
  await waitFor('the restarted consumer to read up to m4', () => second.values().includes('m4'));
  expect(second.values()).toEqual(['m2', 'm3', 'm4']);
  expect(second.seen[0].offset).toBe('2');
});

test('a transaction commits records with consumer offsets; an aborted one is invisible to read_committed', async () => {
  const topic = await createTopic('smoke-txn');
  const groupId = uniqueName('smoke-txn-group');
  const producer = track(
    kafka.producer({ transactionalId: uniqueName('smoke-txn-id'), idempotent: true, maxInFlightRequests: 1 }),
  );
  await producer.connect();

  const committed = await producer.transaction();
  await committed.send({ topic, messages: [{ key: 'a', value: 'committed-1' }] });
  await committed.sendOffsets({
    consumerGroupId: groupId,
    topics: [{ topic, partitions: [{ partition: 0, offset: '7' }] }],
  });
  await committed.commit();
  // The group coordinator materialises transactional offsets when the commit marker lands, which can
  // be a moment after commit() returns (kafkajs's OffsetFetch cannot ask for stable offsets).
  await waitFor('the transactional offset commit to become visible', async () => {
    const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
    return offsets[0].partitions[0].offset === '7';
  });

  const aborted = await producer.transaction();
  await aborted.send({ topic, messages: [{ key: 'a', value: 'aborted-1' }] });
  await aborted.abort();

  const marker = await producer.transaction();
  await marker.send({ topic, messages: [{ key: 'a', value: 'committed-2' }] });
  await marker.commit();

  const readCommitted = await recordingConsumer(topic, uniqueName('smoke-rc'));
  const readUncommitted = await recordingConsumer(topic, uniqueName('smoke-ru'), true);
  await waitFor('read_committed to reach the marker', () => readCommitted.values().includes('committed-2'));
  await waitFor('read_uncommitted to reach the marker', () =>
    readUncommitted.values().includes('committed-2'),
  );
  expect(readCommitted.values()).toEqual(['committed-1', 'committed-2']);
  expect(readUncommitted.values()).toEqual(['committed-1', 'aborted-1', 'committed-2']);
});

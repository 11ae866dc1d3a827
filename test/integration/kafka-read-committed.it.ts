/**
 * read_committed against a real broker, through the project's Kafka client (@kartshoppe/runtime): with
 * several transactional producers on one partition, records of aborted transactions stay invisible.
 * kafkajs 2.2.4 alone delivered the first record of an aborted transaction whose abort came after
 * another producer's (found by the chaos run: an order line RESERVED twice on `order-status`).
 */
import { KafkaEnvSchema, createKafka, createLogger } from '@kartshoppe/runtime';
import type { Producer } from 'kafkajs';
import { testKafkaBrokers, uniqueName, waitFor } from '../support/infra';

jest.setTimeout(60_000);

it('a read_committed consumer sees only committed records when aborted transactions interleave', async () => {
  const kafka = createKafka(
    KafkaEnvSchema.parse({ KAFKA_BOOTSTRAP_SERVERS: testKafkaBrokers().join(',') }),
    'read-committed-it',
    createLogger('read-committed-it', 'error'),
  );
  const topic = uniqueName('it-read-committed');
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] });
  const producers: Producer[] = [];
  const producer = async (id: string) => {
    const p = kafka.producer({ transactionalId: `${topic}-${id}`, idempotent: true, maxInFlightRequests: 1 });
    await p.connect();
    producers.push(p);
    return p;
  };
  const consumer = kafka.consumer({
    groupId: `${topic}-reader`,
    readUncommitted: false,
    maxWaitTimeInMs: 100,
  });
  try {
    const [a, b, c] = [await producer('a'), await producer('b'), await producer('c')];
    // offsets: 0 A, 1 B, 2 B's ABORT, 3 A, 4 A's ABORT, 5 C, 6 C's COMMIT, 7 A, 8 A's COMMIT
    const ta = await a.transaction();
    await ta.send({ topic, messages: [{ value: 'a1 (aborted)' }] });
    const tb = await b.transaction();
    await tb.send({ topic, messages: [{ value: 'b1 (aborted)' }] });
    await tb.abort();
    await ta.send({ topic, messages: [{ value: 'a2 (aborted)' }] });
    await ta.abort();
    const tc = await c.transaction();
    await tc.send({ topic, messages: [{ value: 'c1' }] });
    await tc.commit();
    const ta2 = await a.transaction();
    await ta2.send({ topic, messages: [{ value: 'a3' }] });
    await ta2.commit();

    const seen: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(String(message.value)) });
    await waitFor('the committed records', () => seen.includes('a3'), { timeoutMs: 30_000 });
    expect(seen).toEqual(['c1', 'a3']);
  } finally {
    await consumer.disconnect();
    await Promise.all(producers.map((p) => p.disconnect()));
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
});

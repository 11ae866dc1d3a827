import { TopicReadResponseSchema, TopicSummarySchema } from '@kartshoppe/contracts';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { uniqueName, waitFor } from '../../../test/support/infra';
import {
  createTestTopics,
  http,
  startApi,
  testKafka,
  topicEnv,
  type RunningApi,
  type TestTopics,
} from './support/api-harness';

/** Topic inspection (/api/topics) against a real broker: list, filtered reads, produce policy, scan speed. */
describe('topic inspection (real Kafka)', () => {
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  let topics: TestTopics;
  let api: RunningApi;
  let remote: RunningApi;
  const topic = uniqueName('it-inspect');
  const N = 20_000;

  beforeAll(async () => {
    kafka = testKafka();
    admin = kafka.admin();
    await admin.connect();
    producer = kafka.producer();
    await producer.connect();
    topics = await createTestTopics(admin);
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 3 }] });
    for (let i = 0; i < N; i += 2000) {
      const messages = Array.from({ length: 2000 }, (_, j) => {
        const n = i + j;
        const productId = `PROD_${String(n % 64).padStart(4, '0')}`;
        return {
          key: productId,
          value: JSON.stringify({ productId, quantity: n % 7, n }),
          headers: { origin: n % 2 ? 'odd' : 'even' },
        };
      });
      await producer.send({ topic, messages });
    }
    api = await startApi(topicEnv(topics));
    remote = await startApi({ ...topicEnv(topics), API_MODE: 'remote', ADMIN_TOKEN: 'secret-token-1' });
    for (const a of [api, remote]) {
      await waitFor(
        'kafka connected',
        async () =>
          (await http(a.baseUrl, 'GET', '/health')).body.dependencies?.find(
            (d: { name: string }) => d.name === 'kafka',
          )?.status === 'up',
      );
    }
  }, 60_000);

  afterAll(async () => {
    await api?.stop();
    await remote?.stop();
    await producer?.disconnect();
    await admin?.deleteTopics({ topics: [topic, ...Object.values(topics ?? {})] }).catch(() => undefined);
    await admin?.disconnect();
  }, 30_000);

  it('lists topics with partitions and earliest/latest offsets', async () => {
    const r = await http(api.baseUrl, 'GET', '/api/topics');
    expect(r.status).toBe(200);
    const mine = r.body
      .map((t: unknown) => TopicSummarySchema.parse(t))
      .find((t: { name: string }) => t.name === topic);
    expect(mine.partitions).toHaveLength(3);
    expect(mine.messageCount).toBe(String(N));
  });

  it(`filters with the workshop's jq syntax over ${N} records (the scan rate is printed, not asserted)`, async () => {
    const filter = encodeURIComponent('.value.productId == "PROD_0001" and .headers.origin == "odd"');
    const started = Date.now();
    const r = await http(
      api.baseUrl,
      'GET',
      `/api/topics/messages?topics=${topic}&from=earliest&filter=${filter}&limit=500&maxScan=50000`,
    );
    const ms = Date.now() - started;
    expect(r.status).toBe(200);
    const body = TopicReadResponseSchema.parse(r.body);
    expect(body.scanned).toBe(N);
    expect(body.truncated).toBe(false);
    expect(body.messages.length).toBe(
      Array.from({ length: N }, (_, n) => n).filter((n) => n % 64 === 1 && n % 2 === 1).length,
    );
    expect(
      body.messages.every(
        (m) => (m.value as { productId: string }).productId === 'PROD_0001' && m.headers.origin === 'odd',
      ),
    ).toBe(true);
    // The issue's >= 20,000 records/s is a performance goal: reported here (86k records/s idle), not a
    // timed assertion that fails on a loaded machine.
    process.stdout.write(
      `topics scan: ${N} records in ${ms} ms (${Math.round((N / ms) * 1000)} records/s)\n`,
    );
  });

  it('reads from an offset in one partition, and from latest', async () => {
    const r = await http(
      api.baseUrl,
      'GET',
      `/api/topics/messages?topics=${topic}&from=offset&offset=10&partition=1&limit=5`,
    );
    expect(
      r.body.messages.map((m: { partition: number; offset: string }) => [m.partition, m.offset]),
    ).toEqual([
      [1, '10'],
      [1, '11'],
      [1, '12'],
      [1, '13'],
      [1, '14'],
    ]);
    const latest = await http(api.baseUrl, 'GET', `/api/topics/messages?topics=${topic}&from=latest&limit=3`);
    expect(latest.body.messages).toHaveLength(3);
  });

  it('produces in local mode; remote mode needs the admin token (403 without)', async () => {
    const ok = await http(api.baseUrl, 'POST', `/api/topics/${topic}/messages`, {
      key: 'PROD_0001',
      value: { productId: 'PROD_0001', inventory: 10 },
    });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ topic });
    const denied = await http(remote.baseUrl, 'POST', `/api/topics/${topic}/messages`, {
      key: 'k',
      value: 'v',
    });
    expect(denied.status).toBe(403);
    const allowed = await http(
      remote.baseUrl,
      'POST',
      `/api/topics/${topic}/messages`,
      { key: 'k', value: 'v' },
      { 'x-admin-token': 'secret-token-1' },
    );
    expect(allowed.status).toBe(201);
    const unknown = await http(api.baseUrl, 'GET', `/api/topics/messages?topics=${uniqueName('nope')}`);
    expect(unknown.status).toBe(404);
  });
});

import { orderItemEventId } from '@kartshoppe/contracts';
import { waitFor } from '../../../test/support/infra';
import { partitionForKey } from '../src/streams/murmur2.partitioner';
import {
  collect,
  createTestTopics,
  jsonProducer,
  kafka,
  startProcessor,
  type ProcessorProcess,
} from './processor.harness';

jest.setTimeout(120_000);

describe('inventory processor scale-out', () => {
  const k = kafka();
  const running: ProcessorProcess[] = [];
  afterAll(async () => {
    for (const p of running) await p.stop('SIGKILL');
  });

  it('two instances split the partitions; stopping one moves its partitions and state to the other', async () => {
    const topics = await createTestTopics(k, 3);
    const producer = await jsonProducer(k);
    const out = await collect(k, [topics.orderStatus]);
    try {
      const a = await startProcessor(topics, { PROCESSOR_INSTANCE_ID: 'a' });
      running.push(a);
      const b = await startProcessor(topics, { PROCESSOR_INSTANCE_ID: 'b' });
      running.push(b);
      const owned = async (p: ProcessorProcess) =>
        ((await p.get('/health')).body?.partitions ?? []).map((x: { partition: number }) => x.partition);
      await waitFor(
        'partitions split',
        async () => {
          const [pa, pb] = [await owned(a), await owned(b)];
          return (
            pa.length > 0 &&
            pb.length > 0 &&
            pa.length + pb.length === 3 &&
            (await a.get('/health')).status === 200 &&
            (await b.get('/health')).status === 200
          );
        },
        { timeoutMs: 60_000 },
      );

      // one order per catalog product of 3 units... only for products B owns, so its state must move
      const bParts = await owned(b);
      const productIds = Array.from({ length: 64 }, (_, i) => `PROD_${String(i + 1).padStart(4, '0')}`);
      const onB = productIds.filter((id) => bParts.includes(partitionForKey(id, 3)));
      expect(onB.length).toBeGreaterThan(0);
      const before = new Map<string, number>();
      for (const id of onB)
        before.set(
          id,
          await waitFor(
            `state of ${id}`,
            async () => (await b.get(`/state/products/${id}`)).body?.inventory as number | undefined,
          ),
        );
      await producer.sendJson(
        topics.orderEvents,
        onB.map((productId) => ({
          key: productId,
          value: {
            eventId: orderItemEventId('o-move', productId),
            orderId: 'o-move',
            productId,
            quantity: 1,
            timestamp: 1,
            source: 'api',
          },
        })),
      );
      await waitFor('orders decided', () => out.records.length === onB.length);

      // the other instance answers 421 and names the owner
      const misdirected = await a.get(`/state/products/${onB[0]}`);
      expect(misdirected.status).toBe(421);
      expect(misdirected.body.owner.clientId).toContain(':b');

      expect(await b.stop('SIGTERM')).toBe(0);
      await waitFor(
        'a owns all',
        async () => (await owned(a)).length === 3 && (await a.get('/health')).status === 200,
        { timeoutMs: 60_000 },
      );
      for (const id of onB) {
        expect((await a.get(`/state/products/${id}`)).body.inventory).toBe(before.get(id)! - 1);
      }
      // a redelivered line is still recognised after the move (dedup state moved too)
      await producer.sendJson(topics.orderEvents, [
        {
          key: onB[0]!,
          value: {
            eventId: orderItemEventId('o-move', onB[0]!),
            orderId: 'o-move',
            productId: onB[0],
            quantity: 1,
            timestamp: 1,
            source: 'cdc',
          },
        },
        {
          key: onB[0]!,
          value: {
            eventId: orderItemEventId('o-next', onB[0]!),
            orderId: 'o-next',
            productId: onB[0],
            quantity: 1,
            timestamp: 1,
            source: 'api',
          },
        },
      ]);
      await waitFor('next order', () => out.records.some((r) => r.key === 'o-next'));
      expect(out.records.filter((r) => r.key === 'o-move')).toHaveLength(onB.length);
      expect((await a.get(`/state/products/${onB[0]}`)).body.inventory).toBe(before.get(onB[0]!)! - 2);
    } finally {
      await out.stop();
      await producer.disconnect();
    }
  });
});

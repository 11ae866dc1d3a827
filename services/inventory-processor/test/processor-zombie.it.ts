/**
 * A zombie's commit between the assignment and the new owner's fencing. kafkajs reads the group's
 * committed offsets at the first fetch after the assignment; a previous owner that is still alive (a
 * zombie) can commit after that and before the new task's InitProducerId fences it. Its changelog
 * records are then in the restored state, so its input records must not be processed again: orders
 * are deduplicated by eventId, but a product update sets inventory absolutely, and replaying it undid
 * the deductions applied after it. The task reads the committed offsets after fencing and seeks there.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { orderItemEventId, type ProductPatch } from '@kartshoppe/contracts';
import { Partitioners } from 'kafkajs';
import { waitFor } from '../../../test/support/infra';
import { DEFAULT_RULES_CONFIG, applyOrderDeduction, applyProductUpdate } from '../src/rules';
import { withFaults } from './faulty-kafka';
import {
  ROOT,
  collect,
  createTestTopics,
  jsonProducer,
  kafka,
  startInProcess,
  waitUntilSettled,
  type InProcessProcessor,
} from './processor.harness';

jest.setTimeout(120_000);

const catalog = JSON.parse(readFileSync(join(ROOT, 'data/initial-products.json'), 'utf8')) as ProductPatch[];
const P = 'PROD_0010';
const order = (orderId: string, quantity: number) => ({
  eventId: orderItemEventId(orderId, P),
  orderId,
  productId: P,
  quantity,
  timestamp: 1,
  source: 'api' as const,
});

describe('inventory processor: a zombie commit before the new owner fences', () => {
  const k = kafka();
  let proc: InProcessProcessor | undefined;
  afterEach(async () => {
    await proc?.stop();
    proc = undefined;
  });

  it('records the zombie committed are not processed again (a replayed product update would undo a deduction)', async () => {
    const topics = await createTestTopics(k, 1);
    const appId = `${topics.prefix}app`;
    const producer = await jsonProducer(k);
    const out = await collect(k, [topics.orderStatus, topics.inventoryEvents]);
    const zombie = k.producer({
      transactionalId: `${appId}-0`,
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    try {
      // The inputs: the product with 100 in stock (offset 0), then an order of 10 (offset 0).
      const product = { ...catalog.find((p) => p.productId === P)!, inventory: 100 };
      await producer.sendJson(topics.productUpdates, [{ key: P, value: product }]);
      await producer.sendJson(topics.orderEvents, [{ key: P, value: order('o-1', 10) }]);

      // The zombie processed both and has its transaction open: state 90 in the changelog, the
      // order's status, and both input offsets (next: 1).
      const added = applyProductUpdate(undefined, product, DEFAULT_RULES_CONFIG, 1).state!;
      const deducted = applyOrderDeduction(added, order('o-1', 10), DEFAULT_RULES_CONFIG, 2);
      expect(deducted.state?.product?.inventory).toBe(90);
      const status = deducted.outputs.find((o) => o.kind === 'order-status')!;
      await zombie.connect();
      const txn = await zombie.transaction();
      await txn.sendBatch({
        acks: -1,
        topicMessages: [
          {
            topic: topics.changelog,
            messages: [{ key: P, value: JSON.stringify(deducted.state), partition: 0 }],
          },
          {
            topic: topics.orderStatus,
            messages: [
              { key: 'o-1', value: JSON.stringify(status.kind === 'order-status' && status.status) },
            ],
          },
        ],
      });
      await txn.sendOffsets({
        consumerGroupId: appId,
        topics: [
          { topic: topics.productUpdates, partitions: [{ partition: 0, offset: '1' }] },
          { topic: topics.orderEvents, partitions: [{ partition: 0, offset: '1' }] },
        ],
      });

      // The new owner: its consumer fetches (reading "no committed offset": start at 0), and only then,
      // before its task's producer connects and fences, the zombie commits.
      let fetched!: () => void;
      const firstFetch = new Promise<void>((resolve) => (fetched = resolve));
      let zombieCommitted = false;
      const faulty = withFaults(kafka(), {
        onConsumer: (consumer, config) => {
          if (config.groupId === appId) consumer.on(consumer.events.FETCH, () => fetched());
        },
        beforeConnect: async () => {
          if (zombieCommitted) return;
          zombieCommitted = true;
          await firstFetch;
          await txn.commit();
        },
      });
      proc = await startInProcess(topics, { kafka: faulty });
      await waitUntilSettled(k, topics, out, [topics.orderStatus]);
      expect(zombieCommitted).toBe(true);

      const state = await proc.get(`/state/products/${P}`);
      expect(state.body).toMatchObject({ inventory: 90, version: deducted.state!.product!.version });
      // Nothing was replayed: no second status for o-1, no event from re-applying the product update.
      expect(out.of(topics.orderStatus).map((r) => r.json.eventId)).toEqual([order('o-1', 10).eventId]);
      expect(out.of(topics.inventoryEvents)).toEqual([]);

      // And the task goes on from there.
      await producer.sendJson(topics.orderEvents, [{ key: P, value: order('o-2', 5) }]);
      await waitFor('o-2 decided', () => out.of(topics.orderStatus).length === 2);
      expect(out.of(topics.orderStatus)[1]!.json).toMatchObject({
        status: 'RESERVED',
        remainingInventory: 85,
      });
      expect((await proc.get(`/state/products/${P}`)).body.inventory).toBe(85);
    } finally {
      await zombie.disconnect();
      await out.stop();
      await producer.disconnect();
    }
  });
});

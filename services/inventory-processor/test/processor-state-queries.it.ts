/**
 * Interactive queries serve committed state only. A batch's writes stay pending in the task's store
 * until its Kafka transaction commits; /state/products read them too, so a value whose transaction
 * was then aborted (and, after the task's recovery, possibly decided differently) was shown.
 */
import { orderItemEventId } from '@kartshoppe/contracts';
import { waitFor } from '../../../test/support/infra';
import { withFaults } from './faulty-kafka';
import {
  collect,
  createTestTopics,
  jsonProducer,
  kafka,
  startInProcess,
  waitUntilSettled,
  type InProcessProcessor,
} from './processor.harness';

jest.setTimeout(120_000);

const P = 'PROD_0010';
const CATALOG_STOCK = 178; // data/initial-products.json

describe('inventory processor interactive queries', () => {
  const k = kafka();
  let proc: InProcessProcessor | undefined;
  afterEach(async () => {
    await proc?.stop();
    proc = undefined;
  });

  it('a batch whose commit is in flight (and then fails) is not visible; its retry is, once committed', async () => {
    const topics = await createTestTopics(k, 1);
    const producer = await jsonProducer(k);
    const out = await collect(k, [topics.orderStatus]);
    let hold = false;
    let held!: () => void;
    const commitHeld = new Promise<void>((resolve) => (held = resolve));
    let release!: (fault: 'fail' | undefined) => void;
    const released = new Promise<'fail' | undefined>((resolve) => (release = resolve));
    const faulty = withFaults(kafka(), {
      onCommit: () => {
        if (!hold) return undefined;
        hold = false;
        held();
        return released;
      },
    });
    try {
      proc = await startInProcess(topics, { kafka: faulty });
      const inventory = async () => (await proc!.get(`/state/products/${P}`)).body?.inventory;
      const listed = async () =>
        (await proc!.get('/state/products')).body.products.find(
          (p: { productId: string }) => p.productId === P,
        )?.inventory;
      expect(await inventory()).toBe(CATALOG_STOCK);

      hold = true;
      const orderId = 'o-1';
      await producer.sendJson(topics.orderEvents, [
        {
          key: P,
          value: {
            eventId: orderItemEventId(orderId, P),
            orderId,
            productId: P,
            quantity: 5,
            timestamp: 1,
            source: 'api',
          },
        },
      ]);
      await commitHeld; // the deduction is applied and sent, its EndTxn not yet
      expect(await inventory()).toBe(CATALOG_STOCK);
      expect(await listed()).toBe(CATALOG_STOCK);
      release('fail'); // the transaction never commits; the recreated task processes the order again

      await waitUntilSettled(k, topics, out, [topics.orderStatus]);
      await waitFor(
        'the retried deduction to be visible',
        async () => (await inventory()) === CATALOG_STOCK - 5,
      );
      expect(await listed()).toBe(CATALOG_STOCK - 5);
      expect(out.records.map((r) => r.json.status)).toEqual(['RESERVED']);
    } finally {
      release(undefined); // never leave a commit held (the app could not stop)
      await out.stop();
      await producer.disconnect();
    }
  });
});

/**
 * The processor's health after a partition task failed to start. Found by the chaos run (test/chaos):
 * a task fenced during its start (its first commit failed) is replaced by a new one, which runs, but
 * the runtime only waited for the assignment's first tasks, so /health said "starting" (503) forever.
 */
import { withFaults } from './faulty-kafka';
import { createTestTopics, kafka, startInProcess, type InProcessProcessor } from './processor.harness';

jest.setTimeout(120_000);

let proc: InProcessProcessor | undefined;
afterEach(async () => {
  await proc?.stop();
  proc = undefined;
});

it('a task whose first commit failed is recreated and the processor reports running (200) again', async () => {
  const topics = await createTestTopics(kafka(), 3);
  const failedOnce = new Set<string>();
  const faulty = withFaults(kafka(), {
    // The catalog bootstrap is partition 0's first commit: it fails once, as a fenced commit does.
    onCommit: (transactionalId) => {
      if (!transactionalId.endsWith('app-0') || failedOnce.has(transactionalId)) return undefined;
      failedOnce.add(transactionalId);
      return 'fail';
    },
  });
  proc = await startInProcess(topics, { kafka: faulty }); // waits for /health 200 with phase running
  expect(failedOnce.size).toBe(1);
  const health = await proc.get('/health');
  expect(health.body).toMatchObject({ status: 'up', phase: 'running' });
  expect(health.body.partitions.map((p: { partition: number }) => p.partition)).toEqual([0, 1, 2]);
  expect((await proc.get('/state/products')).body.products).toHaveLength(64);
});

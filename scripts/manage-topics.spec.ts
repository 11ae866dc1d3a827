import { CO_PARTITIONED_TOPICS, TOPIC_SPECS, TOPICS } from '@kartshoppe/contracts';
import { coPartitioningProblem, planTopics } from './lib/topic-plan';

const settings = { partitions: 6, replicationFactor: 1 };

describe('planTopics', () => {
  test('creates every topic of the contracts on an empty cluster, compacted where specified', () => {
    const plan = planTopics(TOPIC_SPECS, new Map(), settings);
    expect(plan.problems).toEqual([]);
    expect(plan.create.map((t) => t.topic)).toEqual(TOPIC_SPECS.map((s) => s.name));
    for (const t of plan.create) {
      const spec = TOPIC_SPECS.find((s) => s.name === t.topic)!;
      expect(t.numPartitions).toBe(6);
      expect(t.replicationFactor).toBe(1);
      expect(t.configEntries).toEqual(spec.compacted ? [{ name: 'cleanup.policy', value: 'compact' }] : []);
    }
    expect(plan.create.find((t) => t.topic === TOPICS.products)!.configEntries).toHaveLength(1);
    expect(plan.create.find((t) => t.topic === TOPICS.processorChangelog)!.configEntries).toHaveLength(1);
  });

  test('is idempotent: existing topics are left alone', () => {
    const all = new Map(TOPIC_SPECS.map((s) => [s.name as string, 6]));
    const plan = planTopics(TOPIC_SPECS, all, settings);
    expect(plan.create).toEqual([]);
    expect(plan.existing).toHaveLength(TOPIC_SPECS.length);
  });

  test('uses the configured partition count and replication factor', () => {
    const plan = planTopics(TOPIC_SPECS, new Map(), { partitions: 3, replicationFactor: 3 });
    expect(new Set(plan.create.map((t) => `${t.numPartitions}/${t.replicationFactor}`))).toEqual(
      new Set(['3/3']),
    );
  });

  test('a missing co-partitioned input follows the existing one, with a note', () => {
    const plan = planTopics(TOPIC_SPECS, new Map([[TOPICS.productUpdates as string, 4]]), settings);
    expect(plan.problems).toEqual([]);
    expect(plan.create.find((t) => t.topic === TOPICS.orderEvents)!.numPartitions).toBe(4);
    expect(plan.create.find((t) => t.topic === TOPICS.products)!.numPartitions).toBe(6);
    expect(plan.notes[0]).toMatch(/already have 4 partitions/);
  });

  test('refuses co-partitioned inputs with different partition counts', () => {
    const plan = planTopics(
      TOPIC_SPECS,
      new Map([
        [TOPICS.productUpdates as string, 6],
        [TOPICS.orderEvents as string, 3],
      ]),
      settings,
    );
    expect(plan.problems).toHaveLength(1);
    expect(plan.problems[0]).toContain('product-updates: 6, order-events: 3');
  });
});

describe('coPartitioningProblem', () => {
  test.each([
    ['none exist', [], false],
    ['one exists', [['product-updates', 6]], false],
    [
      'equal counts',
      [
        ['product-updates', 6],
        ['order-events', 6],
      ],
      false,
    ],
    [
      'different counts',
      [
        ['product-updates', 6],
        ['order-events', 12],
      ],
      true,
    ],
    [
      'other topics differ',
      [
        ['products', 1],
        ['order-events', 6],
      ],
      false,
    ],
  ] as const)('%s', (_name, existing, isProblem) => {
    const map = new Map(existing.map(([t, n]) => [t as string, n as number]));
    expect(coPartitioningProblem(CO_PARTITIONED_TOPICS, map) !== undefined).toBe(isProblem);
  });
});

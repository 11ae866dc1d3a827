/**
 * The pure part of scripts/manage-topics.ts: which topics to create with which settings, and whether
 * the processor's co-partitioned inputs (product-updates, order-events) keep one partition count.
 * A key must land on the same partition number in both inputs, or one keyed state sees only half of a
 * product's records; so an existing mismatch is refused, never papered over.
 */
import type { TopicSpec } from '@kartshoppe/contracts';

export interface TopicToCreate {
  topic: string;
  numPartitions: number;
  replicationFactor: number;
  configEntries: { name: string; value: string }[];
}

export interface TopicPlan {
  create: TopicToCreate[];
  /** Topics that already exist, with their partition counts (left as they are). */
  existing: { topic: string; partitions: number }[];
  /** Why creating is refused; empty when the plan is safe to apply. */
  problems: string[];
  /** Worth telling the user, but not a reason to refuse. */
  notes: string[];
}

/**
 * Checks the co-partitioned topics that exist. Returns a problem message when two of them differ.
 */
export function coPartitioningProblem(
  coPartitioned: readonly string[],
  existingPartitions: ReadonlyMap<string, number>,
): string | undefined {
  const present = coPartitioned
    .filter((t) => existingPartitions.has(t))
    .map((t) => ({ topic: t, partitions: existingPartitions.get(t)! }));
  const counts = new Set(present.map((p) => p.partitions));
  if (counts.size <= 1) return undefined;
  return (
    `co-partitioned topics have different partition counts (${present.map((p) => `${p.topic}: ${p.partitions}`).join(', ')}); ` +
    `they must be equal so a productId lands on the same partition in each. Recreate them with one count ` +
    `(manage-topics delete, then create with TOPIC_PARTITIONS=N) or add partitions to the smaller one ` +
    `(kafkajs admin.createPartitions; keys then move, so restart the processor from a clean state).`
  );
}

export function planTopics(
  specs: readonly TopicSpec[],
  existingPartitions: ReadonlyMap<string, number>,
  { partitions, replicationFactor }: { partitions: number; replicationFactor: number },
): TopicPlan {
  const coPartitioned = specs.filter((s) => s.coPartitioned).map((s) => s.name);
  const problem = coPartitioningProblem(coPartitioned, existingPartitions);
  const plan: TopicPlan = { create: [], existing: [], problems: problem ? [problem] : [], notes: [] };

  // A missing co-partitioned topic follows the ones that exist, whatever TOPIC_PARTITIONS says.
  const existingCoCount = coPartitioned.map((t) => existingPartitions.get(t)).find((n) => n !== undefined);
  if (existingCoCount !== undefined && existingCoCount !== partitions) {
    plan.notes.push(
      `co-partitioned topics already have ${existingCoCount} partitions; missing ones get ${existingCoCount}, not ${partitions}`,
    );
  }
  for (const spec of specs) {
    const have = existingPartitions.get(spec.name);
    if (have !== undefined) {
      plan.existing.push({ topic: spec.name, partitions: have });
      continue;
    }
    plan.create.push({
      topic: spec.name,
      numPartitions: spec.coPartitioned && existingCoCount !== undefined ? existingCoCount : partitions,
      replicationFactor,
      configEntries: spec.compacted ? [{ name: 'cleanup.policy', value: 'compact' }] : [],
    });
  }
  return plan;
}

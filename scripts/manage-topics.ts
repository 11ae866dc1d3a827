/**
 * Creates, lists or deletes the platform's topics (every TOPIC_SPECS entry of @kartshoppe/contracts).
 * The broker never auto-creates topics (the original relied on it, F-REL-4), so this runs before the
 * services start. `create` is idempotent and refuses co-partitioned inputs with different counts.
 *
 *   node scripts/run-ts.js scripts/manage-topics.ts create|list|delete
 *
 * Env: KAFKA_* (see .env.example), TOPIC_PARTITIONS (default 6), TOPIC_REPLICATION_FACTOR (default 1).
 */
import type { Admin } from 'kafkajs';
import { z } from 'zod';
import { CO_PARTITIONED_TOPICS, DEFAULT_PARTITIONS, TOPIC_SPECS } from '@kartshoppe/contracts';
import { createKafka, createLogger, envPositiveInt, kafkaEnv, parseEnv } from '@kartshoppe/runtime';
import { coPartitioningProblem, planTopics } from './lib/topic-plan';

const EnvSchema = z.object({
  ...kafkaEnv,
  TOPIC_PARTITIONS: envPositiveInt.default(DEFAULT_PARTITIONS),
  TOPIC_REPLICATION_FACTOR: envPositiveInt.default(1),
  LOG_LEVEL: z.string().default('error'),
});

async function existingPartitions(admin: Admin): Promise<Map<string, number>> {
  const names = new Set(await admin.listTopics());
  const ours = TOPIC_SPECS.map((s) => s.name).filter((n) => names.has(n));
  const counts = new Map<string, number>();
  if (ours.length === 0) return counts;
  const metadata = await admin.fetchTopicMetadata({ topics: ours });
  for (const t of metadata.topics) counts.set(t.name, t.partitions.length);
  return counts;
}

async function create(admin: Admin, env: z.infer<typeof EnvSchema>): Promise<number> {
  const plan = planTopics(TOPIC_SPECS, await existingPartitions(admin), {
    partitions: env.TOPIC_PARTITIONS,
    replicationFactor: env.TOPIC_REPLICATION_FACTOR,
  });
  for (const note of plan.notes) console.log(`note: ${note}`);
  if (plan.problems.length > 0) {
    for (const p of plan.problems) console.error(`error: ${p}`);
    return 1;
  }
  if (plan.create.length > 0) {
    try {
      await admin.createTopics({ waitForLeaders: true, topics: plan.create });
    } catch (e) {
      // Another create running at the same time won the race: fine, the topics exist.
      if (!/already exists/i.test(String((e as Error).message))) throw e;
    }
  }
  for (const t of plan.create) console.log(`created ${t.topic} (${t.numPartitions} partitions)`);
  for (const t of plan.existing) console.log(`exists  ${t.topic} (${t.partitions} partitions)`);
  return 0;
}

async function list(admin: Admin): Promise<number> {
  const counts = await existingPartitions(admin);
  for (const spec of TOPIC_SPECS) {
    const n = counts.get(spec.name);
    const flags = [spec.compacted ? 'compacted' : '', spec.coPartitioned ? 'co-partitioned' : ''].filter(
      Boolean,
    );
    console.log(
      `${spec.name.padEnd(48)} ${n === undefined ? 'missing' : `${n} partitions`}${flags.length ? `  (${flags.join(', ')})` : ''}`,
    );
  }
  const problem = coPartitioningProblem(CO_PARTITIONED_TOPICS, counts);
  if (problem) console.error(`error: ${problem}`);
  return problem ? 1 : 0;
}

async function remove(admin: Admin): Promise<number> {
  const counts = await existingPartitions(admin);
  const topics = [...counts.keys()];
  if (topics.length > 0) await admin.deleteTopics({ topics });
  console.log(topics.length ? `deleted ${topics.join(', ')}` : 'no platform topic to delete');
  return 0;
}

async function main(): Promise<number> {
  const command = process.argv[2];
  if (command !== 'create' && command !== 'list' && command !== 'delete') {
    console.error('usage: node scripts/run-ts.js scripts/manage-topics.ts create|list|delete');
    return 2;
  }
  const env = parseEnv('manage-topics', EnvSchema);
  process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
  const admin = createKafka(env, 'manage-topics', createLogger('manage-topics', env.LOG_LEVEL)).admin();
  await admin.connect();
  try {
    if (command === 'create') return await create(admin, env);
    if (command === 'list') return await list(admin);
    return await remove(admin);
  } finally {
    await admin.disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(`manage-topics: ${e.message}`);
    process.exit(1);
  },
);

import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { Logger } from '@kartshoppe/runtime';

export interface RestoreRequest<V> {
  topic: string;
  partition: number;
  partitionCount: number;
  /** First changelog offset to read (the local checkpoint + 1, or 0). */
  fromOffset: bigint;
  /** The changelog's last stable offset when the restore started (read_committed end). */
  toOffset: bigint;
  /** Applies one fetched chunk of (key, value) in offset order; `lastOffset` becomes the checkpoint. */
  apply(records: [string, V][], lastOffset: string): Promise<void>;
  /** Called while waiting, so the main consumer keeps its group membership during a long restore. */
  heartbeat?: () => Promise<void>;
}

/**
 * Reads one changelog partition from `fromOffset` up to `toOffset` with a read_committed consumer
 * (kafkajs cannot assign partitions without a group, so it uses a throwaway group that commits
 * nothing and pauses every other partition). Control records (transaction markers) and aborted
 * records advance the position without being applied.
 */
export async function restoreChangelogPartition<V>(
  kafka: Kafka,
  logger: Logger,
  request: RestoreRequest<V>,
  { timeoutMs = 120_000 }: { timeoutMs?: number } = {},
): Promise<number> {
  const { topic, partition, fromOffset, toOffset } = request;
  if (fromOffset >= toOffset) return 0;
  const consumer = kafka.consumer({
    groupId: `restore-${topic}-${partition}-${randomBytes(4).toString('hex')}`,
    readUncommitted: false,
    maxBytesPerPartition: 8 * 1024 * 1024,
    maxWaitTimeInMs: 200,
  });
  let position = fromOffset;
  let restored = 0;
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const advance = (lastOffset: string) => {
    const next = BigInt(lastOffset) + 1n;
    if (next > position) position = next;
    if (position >= toOffset) finish();
  };
  consumer.on(consumer.events.END_BATCH_PROCESS, (e) => {
    if (e.payload.partition === partition && e.payload.topic === topic) advance(e.payload.lastOffset);
  });
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        if (batch.partition !== partition) return;
        const records: [string, V][] = [];
        for (const m of batch.messages) {
          // Records before the start offset were fetched before the seek took effect: older than
          // the local state, so applying them would go back in time.
          if (BigInt(m.offset) < fromOffset || m.key === null || m.value === null) continue;
          records.push([m.key.toString('utf8'), JSON.parse(m.value.toString('utf8')) as V]);
        }
        const last = batch.lastOffset();
        if (BigInt(last) < fromOffset) return;
        await request.apply(records, last);
        restored += records.length;
      },
    });
    await joined;
    const others = Array.from({ length: request.partitionCount }, (_, p) => p).filter((p) => p !== partition);
    if (others.length > 0) consumer.pause([{ topic, partitions: others }]);
    consumer.seek({ topic, partition, offset: fromOffset.toString() });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const finished = await Promise.race([
        done.then(() => true),
        new Promise<boolean>((r) => setTimeout(() => r(false), 1_000)),
      ]);
      if (finished) break;
      if (Date.now() > deadline)
        throw new Error(`restore of ${topic}[${partition}] timed out at offset ${position} of ${toOffset}`);
      await request.heartbeat?.();
      logger.info(
        { topic, partition, position: position.toString(), toOffset: toOffset.toString() },
        'restoring',
      );
    }
    return restored;
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
}

import { statSync } from 'node:fs';
import { join } from 'node:path';
import { AssignerProtocol, type Admin, type Consumer, type Kafka } from 'kafkajs';
import type { Logger } from '@kartshoppe/runtime';
import type { Registry } from 'prom-client';
import type { InputRecord, ProcessorSupplier } from '../processor';
import { coPartitionedAssigner } from './co-partitioned.assigner';
import { LmdbStateEnv } from './lmdb.store';
import { PartitionTask } from './partition.task';
import { StreamsMetrics } from './streams.metrics';
import { DEFAULT_TASK_RECOVERY, nextRecoveryStep, type TaskRecoveryPolicy } from './task-recovery';

export interface StreamsRuntimeOptions<V> {
  kafka: Kafka;
  logger: Logger;
  /** Consumer group id and transactional-id prefix. */
  appId: string;
  instanceId: string;
  /** Co-partitioned input topics. */
  inputTopics: readonly string[];
  changelogTopic: string;
  childTopics: Readonly<Record<string, string>>;
  compactedChildren: ReadonlySet<string>;
  deadLetterChild: string;
  supplier: ProcessorSupplier<V>;
  stateDir: string;
  timerSweepMs: number;
  registry: Registry;
  /** Records applied to a partition that starts fresh (no committed offsets, empty state). */
  bootstrapRecords: (partition: number, partitionCount: number) => InputRecord[];
  clock?: () => number;
  maxBytesPerPartition?: number;
  maxRequestBytes?: number;
  sessionTimeoutMs?: number;
  maxMessagesPerRequest?: number;
  /** Called when the runtime cannot go on (main exits 1 so a supervisor restarts the process). */
  onFatal?: (error: unknown) => void;
  /** How a failed task is recreated, and when the process gives up instead. */
  taskRecovery?: TaskRecoveryPolicy;
}

export class StartupError extends Error {}

/**
 * Runs a processor over Kafka with Kafka Streams' guarantees (DESIGN §6): a consumer group over the
 * co-partitioned inputs (read_committed, no auto-commit), one PartitionTask per assigned partition
 * (LMDB store + changelog + its own transactional producer), state restored on assignment, timers
 * swept every `timerSweepMs` through the same transactional path.
 */
export class StreamsRuntime<V> {
  phase: 'starting' | 'restoring' | 'running' | 'stopping' = 'starting';
  readonly tasks = new Map<number, PartitionTask<V>>();
  readonly metrics: StreamsMetrics;
  partitionCount = 0;
  private consumer?: Consumer;
  private admin?: Admin;
  private env?: LmdbStateEnv;
  private sweepTimer?: NodeJS.Timeout;
  private sweeping = false;
  private readonly clock: () => number;
  /** Consecutive task failures per partition (reset by a committed transaction). */
  private readonly failures = new Map<number, number>();

  constructor(private readonly options: StreamsRuntimeOptions<V>) {
    this.clock = options.clock ?? Date.now;
    this.metrics = new StreamsMetrics(options.registry, () => this.timersPending());
  }

  async start(): Promise<void> {
    const { kafka, logger, appId, inputTopics } = this.options;
    this.admin = kafka.admin();
    await this.admin.connect();
    this.partitionCount = await this.checkTopics(this.admin);
    this.env = new LmdbStateEnv(join(this.options.stateDir, this.options.instanceId));
    const consumer = kafka.consumer({
      groupId: appId,
      readUncommitted: false,
      // partition p of both inputs goes to one member (co-partitioning), sticky across rebalances
      partitionAssigners: [coPartitionedAssigner(() => [...this.tasks.keys()])],
      maxBytesPerPartition: this.options.maxBytesPerPartition ?? 1024 * 1024,
      maxBytes: 16 * 1024 * 1024,
      maxWaitTimeInMs: 100,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      rebalanceTimeout: 60_000,
      heartbeatInterval: Math.max(500, Math.floor((this.options.sessionTimeoutMs ?? 30_000) / 10)),
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, (e) => this.onAssignment(e.payload.memberAssignment));
    consumer.on(consumer.events.CRASH, (e) => {
      if (e.payload.restart)
        return logger.warn({ err: e.payload.error }, 'consumer crashed; kafkajs restarts it');
      // A consumer kafkajs does not restart would keep its partitions assigned but unprocessed.
      logger.fatal({ err: e.payload.error }, 'consumer crashed for good');
      this.options.onFatal?.(e.payload.error);
    });
    await consumer.connect();
    // No committed offset means a first start: read the inputs from the beginning, so records produced
    // before the processor ever ran are applied (the original started at latest and lost them, F-FL-3).
    await consumer.subscribe({ topics: [...inputTopics], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: Math.max(1, Math.min(this.partitionCount, 8)),
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        this.metrics.lag.set(
          { topic: batch.topic, partition: String(batch.partition) },
          Number(batch.offsetLag()),
        );
        const task = this.taskFor(batch.partition);
        task.lag.set(batch.topic, batch.offsetLag());
        if (batch.isEmpty()) return;
        // A task that failed to start is replaced (see taskFor); this batch is fetched again for it.
        if (!(await this.waitReady(task, heartbeat, isRunning))) return;
        // Stale: the task sought the consumer to the offsets committed before it started.
        if (!isRunning() || isStale() || task.phase !== 'running') return;
        let last: string;
        try {
          last = await task.processBatch(batch);
        } catch (error) {
          // Revoked while in flight: the new owner re-processes from the committed offset. Otherwise
          // the task is replaced, and the new one seeks the consumer to the committed offsets; the
          // batch is not resolved either way. Not rethrown: kafkajs would retry the batch on the same
          // broken task, then restart the consumer, which hands the partition back to it.
          this.recreate(task, error, 'batch');
          return;
        }
        resolveOffset(last);
        await heartbeat();
      },
    });
    this.sweepTimer = setInterval(() => void this.sweep(), this.options.timerSweepMs);
    this.sweepTimer.unref();
    logger.info(
      { appId, instanceId: this.options.instanceId, partitions: this.partitionCount },
      'processor started',
    );
  }

  /** SIGTERM: finish the batch in flight (committed), leave the group, close producers and LMDB. */
  async stop(): Promise<void> {
    this.phase = 'stopping';
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    await this.consumer?.disconnect();
    await Promise.all([...this.tasks.values()].map((t) => t.close()));
    this.tasks.clear();
    await this.env?.close();
    await this.admin?.disconnect();
  }

  /** The local value of a key's partition, or where the key lives. */
  localTask(partition: number): PartitionTask<V> | undefined {
    const task = this.tasks.get(partition);
    return task && task.phase === 'running' ? task : undefined;
  }

  /** Which group member (client id / host) owns an input partition, from the group's assignments. */
  async ownerOf(partition: number): Promise<{ clientId: string; clientHost: string } | undefined> {
    if (!this.admin) return undefined;
    const { groups } = await this.admin.describeGroups([this.options.appId]);
    for (const member of groups[0]?.members ?? []) {
      const decoded = AssignerProtocol.MemberAssignment.decode(member.memberAssignment);
      if (decoded?.assignment[this.options.inputTopics[0]!]?.includes(partition)) {
        return { clientId: member.clientId, clientHost: member.clientHost };
      }
    }
    return undefined;
  }

  timersPending(): number {
    let n = 0;
    for (const t of this.tasks.values()) n += t.timersPending();
    return n;
  }

  stateSizeBytes(): number {
    try {
      return statSync(join(this.options.stateDir, this.options.instanceId, 'data.mdb')).size;
    } catch {
      try {
        return statSync(join(this.options.stateDir, this.options.instanceId)).size;
      } catch {
        return 0;
      }
    }
  }

  private async checkTopics(admin: Admin): Promise<number> {
    const { inputTopics, changelogTopic, childTopics } = this.options;
    const existing = new Set(await admin.listTopics());
    const missing = inputTopics.filter((t) => !existing.has(t));
    if (missing.length > 0) {
      throw new StartupError(
        `input topic(s) ${missing.join(', ')} do not exist; create them first (npm run topics -- create)`,
      );
    }
    const { topics } = await admin.fetchTopicMetadata({ topics: [...inputTopics] });
    const counts = topics.map((t) => [t.name, t.partitions.length] as const);
    const distinct = new Set(counts.map(([, n]) => n));
    if (distinct.size !== 1) {
      throw new StartupError(
        `input topics must be co-partitioned (same partition count) so a productId meets its state, but ${counts
          .map(([name, n]) => `${name} has ${n}`)
          .join(' and ')}; recreate them with one count`,
      );
    }
    const partitionCount = counts[0]![1];
    // The changelog must be partitioned like the inputs (partition p holds the state of input partition p).
    const toCreate = [changelogTopic, ...new Set(Object.values(childTopics))].filter((t) => !existing.has(t));
    if (toCreate.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: toCreate.map((topic) => ({
          topic,
          numPartitions: partitionCount,
          configEntries: topic === changelogTopic ? [{ name: 'cleanup.policy', value: 'compact' }] : [],
        })),
      });
      this.options.logger.info({ topics: toCreate }, 'created missing topics');
    }
    const changelog = await admin.fetchTopicMetadata({ topics: [changelogTopic] });
    const changelogCount = changelog.topics[0]?.partitions.length;
    if (changelogCount !== partitionCount) {
      throw new StartupError(
        `changelog ${changelogTopic} has ${changelogCount} partitions but the inputs have ${partitionCount}`,
      );
    }
    return partitionCount;
  }

  private onAssignment(assignment: Record<string, number[]>): void {
    const assigned = new Set<number>();
    for (const topic of this.options.inputTopics) for (const p of assignment[topic] ?? []) assigned.add(p);
    for (const [p, task] of this.tasks) {
      if (assigned.has(p)) continue;
      this.tasks.delete(p);
      this.failures.delete(p);
      void task.close().then(() => this.options.logger.info({ partition: p }, 'partition revoked'));
    }
    for (const p of assigned) this.taskFor(p);
    this.options.logger.info({ partitions: [...assigned].sort((a, b) => a - b) }, 'partitions assigned');
    this.phase = 'restoring';
    this.runningWhenAllReady();
  }

  /**
   * 'running' once every task of the assignment is, re-checked whenever a task gets ready: a task that
   * failed to start is replaced by a new one (recreate), and waiting on the assignment's first tasks
   * only left the phase 'restoring' (/health 503 "starting") for good although every partition ran.
   */
  private runningWhenAllReady(): void {
    if (this.phase !== 'restoring') return;
    if ([...this.tasks.values()].every((t) => t.phase === 'running')) this.phase = 'running';
  }

  private taskFor(partition: number, startDelayMs = 0): PartitionTask<V> {
    let task = this.tasks.get(partition);
    if (task) return task;
    task = new PartitionTask<V>({
      kafka: this.options.kafka,
      logger: this.options.logger.child({ partition }),
      appId: this.options.appId,
      partition,
      partitionCount: this.partitionCount,
      changelogTopic: this.options.changelogTopic,
      childTopics: this.options.childTopics,
      compactedChildren: this.options.compactedChildren,
      deadLetterChild: this.options.deadLetterChild,
      store: this.env!.partitionStore<V>(partition),
      supplier: this.options.supplier,
      metrics: this.metrics,
      clock: this.clock,
      maxRequestBytes: this.options.maxRequestBytes ?? 768 * 1024,
      maxMessagesPerRequest: this.options.maxMessagesPerRequest ?? 1_000,
      // Catalog bootstrap only for a partition that never committed an offset and has no state (F-FL-3).
      bootstrapRecords: (p) => this.options.bootstrapRecords(p, this.partitionCount),
      startDelayMs,
      fetchCommittedOffsets: (p) => this.committedOffsets(p),
      seek: (p, offsets) => {
        for (const [topic, offset] of offsets) {
          this.consumer?.seek({ topic, partition: p, offset: offset.toString() });
        }
      },
      onCommitted: (p) => this.failures.delete(p),
    });
    this.tasks.set(partition, task);
    task.ready.then(
      () => this.runningWhenAllReady(),
      () => undefined,
    );
    task.ready.catch((err) => this.recreate(task, err, 'start'));
    return task;
  }

  /**
   * Kafka Streams' answer to a corrupted task: close it (its producer, pending writes, outbox and
   * timers go) and create a new one, which fences the old producer, restores the store from the
   * changelog beyond the local checkpoint and resumes from the offsets committed by then. After a
   * backoff; when a partition keeps failing the process exits non-zero (onFatal) for its supervisor.
   */
  private recreate(task: PartitionTask<V>, error: unknown, during: 'batch' | 'timers' | 'start'): void {
    const { partition } = task;
    // Revoked, replaced already, or shutting down: nothing to recover here.
    if (this.tasks.get(partition) !== task || this.phase === 'stopping') return;
    this.tasks.delete(partition);
    void task.close();
    const failures = (this.failures.get(partition) ?? 0) + 1;
    this.failures.set(partition, failures);
    this.metrics.taskRecoveries.inc({ partition: String(partition), during });
    const step = nextRecoveryStep(failures, this.options.taskRecovery ?? DEFAULT_TASK_RECOVERY);
    if (step.action === 'exit') {
      this.options.logger.fatal(
        { err: error, partition, during, failures },
        'partition keeps failing; giving up so the process is restarted',
      );
      this.options.onFatal?.(error);
      return;
    }
    this.options.logger.warn(
      { err: error, partition, during, failures, delayMs: step.delayMs },
      'task failed; recreating it from the changelog and the committed offsets',
    );
    this.taskFor(partition, step.delayMs);
  }

  /** The group's committed offsets of one partition per input topic (absent: never committed). */
  private async committedOffsets(partition: number): Promise<Map<string, bigint>> {
    if (!this.admin) throw new Error('runtime not started');
    const committed = await this.admin.fetchOffsets({
      groupId: this.options.appId,
      topics: [...this.options.inputTopics],
    });
    const offsets = new Map<string, bigint>();
    for (const t of committed) {
      const offset = t.partitions.find((p) => p.partition === partition)?.offset;
      if (offset !== undefined && BigInt(offset) >= 0n) offsets.set(t.topic, BigInt(offset));
    }
    return offsets;
  }

  /**
   * Waits for the task to be running (heartbeating meanwhile); false when it failed to start, or when
   * the consumer is stopping (its disconnect waits for this batch; the task may be in a backoff).
   */
  private async waitReady(
    task: PartitionTask<V>,
    heartbeat: () => Promise<void>,
    isRunning: () => boolean,
  ): Promise<boolean> {
    for (;;) {
      if (!isRunning() || this.phase === 'stopping') return false;
      const ready = await Promise.race([
        task.ready.then(
          () => true,
          () => 'failed' as const,
        ),
        new Promise<boolean>((r) => setTimeout(() => r(false), 1_000)),
      ]);
      if (ready === 'failed') return false;
      if (ready) return true;
      await heartbeat();
    }
  }

  private async sweep(): Promise<void> {
    if (this.sweeping || this.phase === 'stopping') return;
    this.sweeping = true;
    try {
      await Promise.all(
        [...this.tasks.values()].map((t) =>
          t.phase === 'running' ? t.punctuate().catch((err) => this.recreate(t, err, 'timers')) : undefined,
        ),
      );
    } finally {
      this.sweeping = false;
    }
  }
}

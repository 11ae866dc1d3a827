import type { Batch, Kafka, Message, Producer } from 'kafkajs';
import { Partitioners } from 'kafkajs';
import type { Logger } from '@kartshoppe/runtime';
import type {
  Cancellable,
  InputRecord,
  OutputRecord,
  Processor,
  ProcessorContext,
  ProcessorSupplier,
} from '../processor';
import { restoreChangelogPartition } from './changelog.restorer';
import type { LmdbPartitionStore } from './lmdb.store';
import { chunkByBytes, type TopicMessage } from './record-chunks';
import type { StreamsMetrics } from './streams.metrics';
import { TaskCorruptedError } from './task-recovery';

export interface TaskConfig<V> {
  kafka: Kafka;
  logger: Logger;
  appId: string;
  partition: number;
  partitionCount: number;
  changelogTopic: string;
  /** child name → topic */
  childTopics: Readonly<Record<string, string>>;
  /** Children whose topic is compacted: only the last record per key of a transaction is sent. */
  compactedChildren: ReadonlySet<string>;
  deadLetterChild: string;
  store: LmdbPartitionStore<V>;
  supplier: ProcessorSupplier<V>;
  metrics: StreamsMetrics;
  clock: () => number;
  maxRequestBytes: number;
  maxMessagesPerRequest: number;
  /** The records a partition that starts fresh (no state, no committed offset) applies first. */
  bootstrapRecords: (partition: number) => InputRecord[];
  /** Waited before anything else (the backoff of a task recreated after a failure). */
  startDelayMs: number;
  /** The consumer group's committed offsets of this partition, per input topic (topics without one are absent). */
  fetchCommittedOffsets: (partition: number) => Promise<Map<string, bigint>>;
  /** Moves the consumer of this partition to these offsets (the task then processes from there). */
  seek: (partition: number, offsets: ReadonlyMap<string, bigint>) => void;
  /** Called after each committed transaction (the runtime resets the partition's failure count). */
  onCommitted: (partition: number) => void;
}

interface Punctuation {
  intervalMs: number;
  nextMs: number;
  fn: (nowMs: number) => void;
  cancelled: boolean;
}

interface Forwarded {
  child: string;
  record: OutputRecord;
}

/**
 * One input partition (a Streams "task"): its processor, its store, and its own transactional
 * producer. transactionalId = `<app>-<partition>`, so whoever owns the partition next fences a zombie
 * owner: its InitProducerId aborts the zombie's open transaction and rejects its commits. Batches,
 * timer sweeps and the bootstrap of one task run one at a time (`exclusive`).
 *
 * A task is never repaired in place: any error while processing or committing leaves it `corrupted`
 * (kafkajs' transaction state machine may be stuck in COMMITTING or ABORTING, a commit whose answer
 * was lost may have succeeded, the processor may have half-applied a batch), and the runtime closes it
 * and creates a new one, which fences, restores and resumes from what Kafka committed.
 */
export class PartitionTask<V> {
  phase: 'restoring' | 'running' | 'corrupted' | 'closed' = 'restoring';
  readonly ready: Promise<void>;
  readonly lag = new Map<string, string>();
  private producer!: Producer;
  private processor!: Processor<V>;
  private punctuations: Punctuation[] = [];
  private outbox: Forwarded[] = [];
  private lock: Promise<unknown> = Promise.resolve();
  /**
   * The group's committed offsets read after this task fenced the previous owner: a record below
   * them is already in the restored state (a batch fetched before the consumer's seek is skipped).
   */
  private resumeOffsets = new Map<string, bigint>();
  private cancelStartDelay?: () => void;

  constructor(private readonly config: TaskConfig<V>) {
    this.ready = this.exclusive(() => this.init());
    this.ready.catch(() => undefined); // observed by callers; avoid an unhandled rejection here
  }

  get partition(): number {
    return this.config.partition;
  }

  get store(): LmdbPartitionStore<V> {
    return this.config.store;
  }

  isClosed(): boolean {
    return this.phase === 'closed';
  }

  timersPending(): number {
    return this.phase === 'running' ? (this.processor.pendingTimers?.() ?? 0) : 0;
  }

  /**
   * Processes one fetched batch in one transaction; returns the last offset, now committed. Throws
   * TaskCorruptedError on any failure: the task is then unusable and must be recreated.
   */
  processBatch(batch: Batch): Promise<string> {
    return this.exclusive(async () => {
      if (this.phase !== 'running') throw new Error(`partition ${this.partition} is ${this.phase}`);
      const from = this.resumeOffsets.get(batch.topic);
      const messages =
        from === undefined ? batch.messages : batch.messages.filter((m) => BigInt(m.offset) >= from);
      const last = batch.lastOffset();
      // Everything below the committed offset is already in the state: nothing to process or commit.
      if (messages.length === 0) return last;
      try {
        for (const m of messages) {
          this.processor.process({
            topic: batch.topic,
            partition: batch.partition,
            offset: m.offset,
            key: m.key,
            value: m.value,
            timestampMs: Number(m.timestamp),
            headers: {},
          });
        }
        await this.commit('batch', { topic: batch.topic, offset: (BigInt(last) + 1n).toString() });
      } catch (error) {
        throw this.corrupted('batch', error);
      }
      this.config.metrics.recordsIn.inc({ topic: batch.topic }, messages.length);
      return last;
    });
  }

  /**
   * Runs the timers that came due; their outputs and state changes go through the same transaction
   * path. Throws TaskCorruptedError on any failure, like processBatch.
   */
  punctuate(): Promise<void> {
    return this.exclusive(async () => {
      if (this.phase !== 'running') return;
      try {
        const now = this.config.clock();
        for (const p of this.punctuations) {
          if (p.cancelled || p.nextMs > now) continue;
          p.nextMs = now + p.intervalMs;
          p.fn(now);
        }
        if (this.outbox.length > 0 || this.config.store.hasPending()) await this.commit('timers');
      } catch (error) {
        throw this.corrupted('timers', error);
      }
    });
  }

  /** Closes the producer and drops everything not committed (outbox, pending writes, timers). */
  close(): Promise<void> {
    // A task still waiting out its backoff stops waiting (a SIGTERM must not wait up to 30 s).
    this.cancelStartDelay?.();
    return this.exclusive(async () => {
      if (this.phase === 'closed') return;
      this.phase = 'closed';
      this.processor?.close();
      this.outbox = [];
      this.config.store.discard();
      await this.producer?.disconnect().catch(() => undefined);
    });
  }

  private corrupted(during: 'batch' | 'timers', error: unknown): TaskCorruptedError {
    // Stop using this task at once: whatever it holds in memory may not match what Kafka committed.
    if (this.phase === 'running') this.phase = 'corrupted';
    this.outbox = [];
    this.config.store.discard();
    return new TaskCorruptedError(this.partition, during, error);
  }

  private async init(): Promise<void> {
    const { kafka, appId, partition, logger } = this.config;
    if (this.config.startDelayMs > 0) {
      const closed = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), this.config.startDelayMs);
        this.cancelStartDelay = () => {
          clearTimeout(timer);
          resolve(true);
        };
      });
      if (closed) throw new Error(`partition ${partition} task closed before it started`);
    }
    this.producer = kafka.producer({
      transactionalId: `${appId}-${partition}`,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: 60_000,
      createPartitioner: Partitioners.DefaultPartitioner,
      // The next transaction's AddPartitionsToTxn meets CONCURRENT_TRANSACTIONS while the broker still
      // writes the previous commit markers (a few ms); retry fast instead of the client's 200 ms.
      retry: { initialRetryTime: 5, maxRetryTime: 1_000, retries: 30, factor: 0.2, multiplier: 1.5 },
    });
    await this.producer.connect();
    await this.fence();
    // From here on no previous owner (another instance, or this partition's previous task in this
    // process) can commit: the changelog and the committed offsets cannot change under what follows.
    await this.restore();
    // Read after fencing, not at assignment: a zombie's commit that landed in between is in the
    // restored state, so its input records must not be processed again (a replayed product update
    // would set inventory back and undo the deductions after it).
    const committed = await this.config.fetchCommittedOffsets(partition);
    this.resumeOffsets = committed;
    if (committed.size > 0) this.config.seek(partition, committed);
    this.startProcessor();
    const records =
      this.config.store.size() === 0 && committed.size === 0 ? this.config.bootstrapRecords(partition) : [];
    if (records.length > 0) {
      for (const r of records) this.processor.process(r);
      await this.commit('bootstrap');
      logger.info({ partition, records: records.length }, 'catalog bootstrap applied');
    }
    this.phase = 'running';
  }

  /**
   * kafkajs' connect() only gets an idempotent producer id; the transactional InitProducerId, which
   * bumps the epoch (fencing the previous owner) and lets the coordinator finish or abort the previous
   * owner's open transaction, runs on the first transaction(). Begin one and abort it empty (no EndTxn
   * is sent) so that happens now, before the restore.
   */
  private async fence(): Promise<void> {
    const txn = await this.producer.transaction();
    await txn.abort();
  }

  private async restore(): Promise<void> {
    const { kafka, logger, changelogTopic, partition, store } = this.config;
    const admin = kafka.admin();
    await admin.connect();
    let end: bigint;
    let low: bigint;
    try {
      const offsets = await admin.fetchTopicOffsets(changelogTopic);
      const mine = offsets.find((o) => o.partition === partition);
      end = BigInt(mine?.high ?? '0');
      low = BigInt(mine?.low ?? '0');
    } finally {
      await admin.disconnect();
    }
    const checkpoint = store.checkpoint();
    let from = checkpoint === undefined ? 0n : BigInt(checkpoint);
    // A checkpoint beyond the changelog's end (topic recreated) or before its start (records deleted)
    // cannot be trusted: wipe and restore everything.
    if (from > end || (checkpoint !== undefined && from < low)) {
      logger.warn(
        { partition, checkpoint, end: end.toString() },
        'local state does not match the changelog; full restore',
      );
      await store.wipe();
      from = 0n;
    }
    if (from >= end) {
      logger.info({ partition, checkpoint }, 'local state is current; no restore needed');
      return;
    }
    const restored = await restoreChangelogPartition<V>(kafka, logger, {
      topic: changelogTopic,
      partition,
      partitionCount: this.config.partitionCount,
      fromOffset: from,
      toOffset: end,
      apply: (records, lastOffset) => store.restore(records, (BigInt(lastOffset) + 1n).toString()),
    });
    await store.restore([], end.toString());
    logger.info(
      { partition, restored, from: from.toString(), end: end.toString() },
      'restored from changelog',
    );
  }

  private startProcessor(): void {
    this.punctuations = [];
    this.processor = this.config.supplier();
    const context: ProcessorContext<V> = {
      partition: this.config.partition,
      partitionCount: this.config.partitionCount,
      forward: (record, child) => {
        if (!(child in this.config.childTopics)) throw new Error(`unknown child ${child}`);
        this.outbox.push({ child, record });
      },
      schedule: (intervalMs, fn): Cancellable => {
        const p: Punctuation = { intervalMs, nextMs: this.config.clock() + intervalMs, fn, cancelled: false };
        this.punctuations.push(p);
        return { cancel: () => (p.cancelled = true) };
      },
      getStore: () => this.config.store,
      currentTimeMs: () => this.config.clock(),
    };
    this.processor.init(context);
  }

  /**
   * One Kafka transaction: the outputs, the changelog records of every key written, and (for input
   * batches) the consumer offsets; LMDB is written only after the commit. On failure nothing is
   * aborted or retried here: the caller marks the task corrupted, and the next task's InitProducerId
   * aborts the open transaction (or finds it committed when only the answer was lost).
   */
  private async commit(kind: string, offsets?: { topic: string; offset: string }): Promise<void> {
    const { producer, config } = this;
    const startedMs = performance.now();
    const outbox = this.outbox;
    this.outbox = [];
    const records = this.toMessages(outbox);
    const dirty = config.store.dirty();
    for (const [key, value] of dirty) {
      records.push({
        topic: config.changelogTopic,
        message: { key, value: JSON.stringify(value), partition: config.partition },
      });
    }

    const txn = await producer.transaction();
    let checkpoint: string | null = null;
    try {
      for (const chunk of chunkByBytes(records, config.maxRequestBytes, config.maxMessagesPerRequest)) {
        const sentToChangelog = chunk.find((c) => c.topic === config.changelogTopic)?.messages.length ?? 0;
        const meta = await txn.sendBatch({ topicMessages: chunk, acks: -1 });
        const cl = meta.find(
          (m) => m.topicName === config.changelogTopic && m.partition === config.partition,
        );
        if (cl && sentToChangelog > 0 && cl.baseOffset !== undefined) {
          // This producer is the only writer of its changelog partition, so after the commit the
          // partition ends with our last record and its commit marker: end = last + 2.
          checkpoint = (BigInt(cl.baseOffset) + BigInt(sentToChangelog) + 1n).toString();
        }
      }
      if (offsets) {
        await txn.sendOffsets({
          consumerGroupId: config.appId,
          topics: [
            { topic: offsets.topic, partitions: [{ partition: config.partition, offset: offsets.offset }] },
          ],
        });
      }
      await txn.commit();
    } finally {
      config.metrics.observeCommit(kind, performance.now() - startedMs);
    }
    await config.store.commit(checkpoint);
    config.onCommitted(config.partition);
    for (const f of outbox) {
      config.metrics.recordsOut.inc({ topic: config.childTopics[f.child] });
      if (f.child === config.deadLetterChild) {
        config.metrics.deadLetters.inc();
        config.metrics.deadLetterCount++;
      }
    }
  }

  private toMessages(outbox: readonly Forwarded[]): TopicMessage[] {
    const { childTopics, compactedChildren } = this.config;
    // Compacted children keep only the last record per key of this transaction.
    const lastIndex = new Map<string, number>();
    outbox.forEach((f, i) => {
      if (compactedChildren.has(f.child)) lastIndex.set(`${f.child}\u0000${String(f.record.key)}`, i);
    });
    const out: TopicMessage[] = [];
    outbox.forEach((f, i) => {
      if (compactedChildren.has(f.child) && lastIndex.get(`${f.child}\u0000${String(f.record.key)}`) !== i)
        return;
      out.push({ topic: childTopics[f.child]!, message: toMessage(f.record) });
    });
    return out;
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }
}

function toMessage(record: OutputRecord): Message {
  const v = record.value;
  return {
    key: record.key,
    value:
      v === null || v === undefined
        ? null
        : Buffer.isBuffer(v) || typeof v === 'string'
          ? v
          : JSON.stringify(v),
    headers: record.headers ? { ...record.headers } : undefined,
  };
}

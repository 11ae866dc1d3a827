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
  /** Decides, after the restore, whether this partition starts fresh (catalog bootstrap). */
  bootstrapRecords: (partition: number, storeIsEmpty: boolean) => Promise<InputRecord[]>;
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
 */
export class PartitionTask<V> {
  phase: 'restoring' | 'running' | 'closed' = 'restoring';
  readonly ready: Promise<void>;
  readonly lag = new Map<string, string>();
  private producer!: Producer;
  private processor!: Processor<V>;
  private punctuations: Punctuation[] = [];
  private outbox: Forwarded[] = [];
  private lock: Promise<unknown> = Promise.resolve();

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

  /** Processes one fetched batch in one transaction; returns the last offset, now committed. */
  processBatch(batch: Batch): Promise<string> {
    return this.exclusive(async () => {
      if (this.phase !== 'running') throw new Error(`partition ${this.partition} is ${this.phase}`);
      for (const m of batch.messages) {
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
      this.config.metrics.recordsIn.inc({ topic: batch.topic }, batch.messages.length);
      const last = batch.lastOffset();
      await this.commit('batch', { topic: batch.topic, offset: (BigInt(last) + 1n).toString() });
      return last;
    });
  }

  /** Runs the timers that came due; their outputs and state changes go through the same transaction path. */
  punctuate(): Promise<void> {
    return this.exclusive(async () => {
      if (this.phase !== 'running') return;
      const now = this.config.clock();
      for (const p of this.punctuations) {
        if (p.cancelled || p.nextMs > now) continue;
        p.nextMs = now + p.intervalMs;
        p.fn(now);
      }
      if (this.outbox.length > 0 || this.config.store.hasPending()) await this.commit('timers');
    });
  }

  close(): Promise<void> {
    return this.exclusive(async () => {
      if (this.phase === 'closed') return;
      this.phase = 'closed';
      this.processor?.close();
      this.config.store.discard();
      await this.producer?.disconnect().catch(() => undefined);
    });
  }

  private async init(): Promise<void> {
    const { kafka, appId, partition, logger } = this.config;
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
    // Connecting runs InitProducerId: from here on a previous owner of this partition is fenced, so
    // the changelog cannot change under the restore below.
    await this.producer.connect();
    await this.restore();
    this.startProcessor();
    const records = await this.config.bootstrapRecords(partition, this.config.store.size() === 0);
    if (records.length > 0) {
      for (const r of records) this.processor.process(r);
      await this.commit('bootstrap');
      logger.info({ partition, records: records.length }, 'catalog bootstrap applied');
    }
    this.phase = 'running';
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
   * batches) the consumer offsets; LMDB is written only after the commit. On any failure the
   * transaction is aborted, pending state discarded and the processor rebuilt from the store; the
   * caller does not resolve the offsets, so the batch is fetched and processed again.
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
    } catch (error) {
      await txn.abort().catch(() => undefined);
      config.store.discard();
      this.processor.close();
      this.startProcessor();
      throw error;
    } finally {
      config.metrics.observeCommit(kind, performance.now() - startedMs);
    }
    await config.store.commit(checkpoint);
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

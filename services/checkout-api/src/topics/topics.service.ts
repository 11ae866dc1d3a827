import { Injectable } from '@nestjs/common';
import type {
  ProduceRequest,
  TopicMessage,
  TopicReadQuery,
  TopicReadResponse,
  TopicSummary,
} from '@kartshoppe/contracts';
import { DependencyUnavailableError, headersToStrings, type Logger } from '@kartshoppe/runtime';
import type { KafkaMessage } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { NotFoundError, RequestValidationError } from '../common/http-errors';
import { KafkaConnections } from '../kafka/kafka-connections';
import { matches } from './filter/filter.eval';
import { FilterSyntaxError, parseFilter, type FilterNode } from './filter/filter.parser';

interface PartitionRange {
  partition: number;
  start: bigint;
  end: bigint;
}

function decode(topic: string, partition: number, m: KafkaMessage): TopicMessage {
  const text = m.value?.toString('utf8') ?? null;
  let value: unknown = text;
  if (text !== null) {
    try {
      value = JSON.parse(text);
    } catch {
      value = text; // not JSON: shown as the raw string
    }
  }
  return {
    topic,
    partition,
    offset: m.offset,
    timestamp: Number(m.timestamp),
    key: m.key?.toString('utf8') ?? null,
    value,
    headers: headersToStrings(m.headers),
  };
}

/**
 * Topic inspection (the workshop's Kpow replacement). A read uses a short-lived consumer in its own
 * throw-away group that never commits, seeks every partition to the requested start and stops at the
 * end offsets taken when the request began, so one request is bounded by maxScan records and a time
 * limit (TOPICS_MAX_SCAN_TIME_MS) however large the topic.
 */
@Injectable()
export class TopicsService {
  constructor(
    private readonly kafka: KafkaConnections,
    private readonly options: { maxScanTimeMs: number; groupPrefix: string },
    private readonly logger: Logger,
  ) {}

  async list(): Promise<TopicSummary[]> {
    this.requireKafka();
    const names = (await this.kafka.admin.listTopics()).filter((t) => !t.startsWith('__')).sort();
    return Promise.all(
      names.map(async (name) => {
        const offsets = await this.kafka.admin.fetchTopicOffsets(name);
        const partitions = offsets
          .map((o) => ({ partition: o.partition, earliestOffset: o.low, latestOffset: o.high }))
          .sort((a, b) => a.partition - b.partition);
        const count = partitions.reduce((n, p) => n + BigInt(p.latestOffset) - BigInt(p.earliestOffset), 0n);
        return { name, partitions, messageCount: count.toString() };
      }),
    );
  }

  async read(q: TopicReadQuery): Promise<TopicReadResponse> {
    this.requireKafka();
    let filter: FilterNode | undefined;
    try {
      filter = q.filter?.trim() ? parseFilter(q.filter) : undefined;
    } catch (error) {
      if (error instanceof FilterSyntaxError)
        throw new RequestValidationError(`invalid filter: ${error.message}`, [
          { path: 'filter', message: error.message },
        ]);
      throw error;
    }
    if (q.from === 'offset' && q.offset === undefined) {
      throw new RequestValidationError('from=offset needs offset', [
        { path: 'offset', message: 'required when from=offset' },
      ]);
    }
    if (q.from === 'timestamp' && q.timestampMs === undefined) {
      throw new RequestValidationError('from=timestamp needs timestampMs', [
        { path: 'timestampMs', message: 'required when from=timestamp' },
      ]);
    }
    const topics = [
      ...new Set(
        q.topics
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
      ),
    ];
    const existing = new Set(await this.kafka.admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length) throw new NotFoundError(`unknown topic(s): ${missing.join(', ')}`);

    const ranges = new Map<string, PartitionRange[]>();
    for (const topic of topics) ranges.set(topic, await this.ranges(topic, q, topics.length));
    const pending = new Map<string, bigint>();
    for (const [topic, rs] of ranges)
      for (const r of rs) if (r.start < r.end) pending.set(`${topic}:${r.partition}`, r.end);
    if (pending.size === 0) return { messages: [], scanned: 0, truncated: false };

    const keepLatest = q.from === 'latest';
    const found: TopicMessage[] = [];
    let scanned = 0;
    let truncated = false;
    const groupId = `${this.options.groupPrefix}-${randomUUID()}`;
    const consumer = this.kafka.kafka.consumer({ groupId, maxWaitTimeInMs: 100, maxBytes: 16 * 1024 * 1024 });
    let finish!: () => void;
    const done = new Promise<void>((r) => (finish = r));
    const timer = setTimeout(() => ((truncated = true), finish()), this.options.maxScanTimeMs);
    try {
      await consumer.connect();
      await consumer.subscribe({ topics, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch }) => {
          const key = `${batch.topic}:${batch.partition}`;
          const end = pending.get(key);
          if (end === undefined) return;
          for (const m of batch.messages) {
            if (BigInt(m.offset) >= end) break;
            scanned++;
            const decoded = decode(batch.topic, batch.partition, m);
            if (!filter || matches(filter, { ...decoded, offset: Number(decoded.offset) })) {
              found.push(decoded);
              if (keepLatest && found.length > q.limit) found.shift();
              if (!keepLatest && found.length >= q.limit) return finish();
            }
            if (scanned >= q.maxScan) return ((truncated = true), finish());
          }
          if (BigInt(batch.lastOffset()) + 1n >= end) {
            pending.delete(key);
            if (pending.size === 0) finish();
          }
        },
      });
      consumer.on(consumer.events.END_BATCH_PROCESS, (e) => {
        const key = `${e.payload.topic}:${e.payload.partition}`;
        const end = pending.get(key);
        if (end !== undefined && BigInt(e.payload.lastOffset) + 1n >= end) {
          pending.delete(key);
          if (pending.size === 0) finish();
        }
      });
      for (const [topic, rs] of ranges) {
        for (const r of rs)
          consumer.seek({
            topic,
            partition: r.partition,
            offset: (r.start < r.end ? r.start : r.end).toString(),
          });
      }
      await done;
    } finally {
      clearTimeout(timer);
      await consumer.disconnect().catch(() => undefined);
      void this.kafka.admin.deleteGroups([groupId]).catch(() => undefined);
    }
    found.sort(
      (a, b) =>
        a.timestamp - b.timestamp || a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)),
    );
    return { messages: found.slice(0, q.limit), scanned, truncated };
  }

  async produce(topic: string, req: ProduceRequest) {
    this.requireKafka();
    const existing = await this.kafka.admin.listTopics();
    if (!existing.includes(topic)) throw new NotFoundError(`unknown topic ${topic}`);
    if (req.partition !== undefined) {
      // kafkajs fails a send to a partition that does not exist with a generic error (a 500).
      const [meta] = (await this.kafka.admin.fetchTopicMetadata({ topics: [topic] })).topics;
      const count = meta?.partitions.length ?? 0;
      if (req.partition >= count) {
        throw new RequestValidationError(`topic ${topic} has ${count} partitions`, [
          { path: 'partition', message: `must be below ${count}` },
        ]);
      }
    }
    const value = typeof req.value === 'string' ? req.value : JSON.stringify(req.value ?? null);
    const [meta] = await this.kafka.auxProducer.send({
      topic,
      acks: -1,
      messages: [{ key: req.key ?? null, value, headers: req.headers, partition: req.partition }],
    });
    this.logger.info({ topic, partition: meta.partition }, 'message produced from the topic inspector');
    return { topic, partition: meta.partition, offset: meta.baseOffset ?? meta.offset ?? '0' };
  }

  private async ranges(topic: string, q: TopicReadQuery, topicCount: number): Promise<PartitionRange[]> {
    const offsets = await this.kafka.admin.fetchTopicOffsets(topic);
    let byTime: Map<number, bigint> | undefined;
    if (q.from === 'timestamp') {
      const t = await this.kafka.admin.fetchTopicOffsetsByTimestamp(topic, q.timestampMs);
      byTime = new Map(t.map((o) => [o.partition, BigInt(o.offset)]));
    }
    const selected = offsets.filter((o) => q.partition === undefined || o.partition === q.partition);
    // "latest" reads the newest records: each partition's share of maxScan back from its end.
    const window = BigInt(
      Math.max(q.limit, Math.ceil(q.maxScan / Math.max(1, selected.length * topicCount))),
    );
    return selected.map((o) => {
      const low = BigInt(o.low);
      const high = BigInt(o.high);
      let start: bigint;
      switch (q.from) {
        case 'earliest':
          start = low;
          break;
        case 'latest':
          start = high - window > low ? high - window : low;
          break;
        case 'offset':
          start = BigInt(q.offset!);
          break;
        case 'timestamp': {
          const t = byTime?.get(o.partition);
          start = t === undefined || t < 0n ? high : t;
          break;
        }
      }
      if (start < low) start = low;
      if (start > high) start = high;
      return { partition: o.partition, start, end: high };
    });
  }

  private requireKafka(): void {
    if (!this.kafka.ready) throw new DependencyUnavailableError('kafka');
  }
}

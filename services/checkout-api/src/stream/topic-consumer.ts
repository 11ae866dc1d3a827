import { deadLetterMessage, type Logger } from '@kartshoppe/runtime';
import type { Admin, Consumer, Kafka, Producer } from 'kafkajs';
import type { RecordHandler } from './record-handler';

export interface TopicConsumerOptions {
  name: string;
  groupId: string;
  topics: string[];
  /** Commit offsets (order-status) or not (the read model rebuilds from earliest on every start). */
  commitOffsets: boolean;
  deadLetterTopic: string;
  /** Called once every partition reached the end offset it had when the consumer started. */
  onCaughtUp?: () => void;
}

/**
 * One kafkajs consumer feeding named handlers. read_committed (kafkajs default), so only the
 * processor's committed transactions are seen. A poison record is dead-lettered with its origin and
 * the partition goes on; a transient failure (Postgres down) is retried without skipping the record.
 * Connecting retries in the background so the API starts even when Kafka is down.
 */
export class TopicConsumer {
  private consumer: Consumer | undefined;
  private stopped = false;
  private started: Promise<void> | undefined;
  private readonly pendingTargets = new Map<string, bigint>();
  private caughtUp = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly admin: Admin,
    private readonly producer: Producer,
    private readonly handlers: RecordHandler[],
    private readonly options: TopicConsumerOptions,
    private readonly logger: Logger,
    private readonly nowMs: () => number,
  ) {}

  start(): Promise<void> {
    this.started ??= this.connectLoop();
    return this.started;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.consumer?.disconnect().catch(() => undefined);
  }

  private async connectLoop(): Promise<void> {
    let delayMs = 500;
    while (!this.stopped) {
      try {
        await this.run();
        return;
      } catch (error) {
        this.logger.warn(
          { consumer: this.options.name, err: (error as Error).message, retryInMs: delayMs },
          'consumer start failed, retrying',
        );
        await this.consumer?.disconnect().catch(() => undefined);
        await new Promise((r) => setTimeout(r, delayMs).unref());
        delayMs = Math.min(delayMs * 2, 5_000);
      }
    }
  }

  private async run(): Promise<void> {
    await this.admin.connect();
    if (this.options.onCaughtUp && !this.caughtUp) {
      for (const topic of this.options.topics) {
        for (const p of await this.admin.fetchTopicOffsets(topic)) {
          if (BigInt(p.high) > BigInt(p.low))
            this.pendingTargets.set(`${topic}:${p.partition}`, BigInt(p.high));
        }
      }
    }
    const consumer = (this.consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      // A stop waits for the fetch in flight, which an idle broker holds for up to this long (kafkajs
      // default 5 s: the API then missed the workshop's 5 s stop and was SIGKILLed). Records still
      // arrive at once; only an idle poll is shorter.
      maxWaitTimeInMs: 1_000,
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 5_000 },
    }));
    // Batches of only control records (transaction markers) never reach eachBatch; this event does.
    consumer.on(consumer.events.END_BATCH_PROCESS, (e) =>
      this.progress(e.payload.topic, e.payload.partition, e.payload.lastOffset),
    );
    consumer.on(consumer.events.CRASH, (e) => {
      if (!e.payload.restart && !this.stopped) {
        this.logger.error(
          { consumer: this.options.name, err: e.payload.error?.message },
          'consumer crashed, restarting',
        );
        this.started = undefined;
        void this.start();
      }
    });
    await consumer.connect();
    await consumer.subscribe({ topics: this.options.topics, fromBeginning: true });
    await consumer.run({
      autoCommit: this.options.commitOffsets,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        for (const message of batch.messages) {
          if (!isRunning() || isStale()) return;
          await this.handleOne(batch.topic, batch.partition, message);
          resolveOffset(message.offset);
        }
        await heartbeat();
      },
    });
    this.checkCaughtUp();
  }

  private async handleOne(topic: string, partition: number, message: import('kafkajs').KafkaMessage) {
    const origin = { topic, partition, offset: message.offset };
    for (const handler of this.handlers) {
      if (!handler.accepts(topic)) continue;
      for (let delayMs = 200; ; delayMs = Math.min(delayMs * 2, 5_000)) {
        try {
          const problem = await handler.handle(message, origin);
          if (problem) await this.deadLetter(origin, message, problem, handler.name);
          break;
        } catch (error) {
          if (this.stopped) throw error;
          this.logger.warn(
            { handler: handler.name, ...origin, err: (error as Error).message },
            'record handling failed, retrying',
          );
          await new Promise((r) => setTimeout(r, delayMs));
        }
      }
    }
  }

  private async deadLetter(
    origin: { topic: string; partition: number; offset: string },
    message: import('kafkajs').KafkaMessage,
    error: string,
    handler: string,
  ) {
    this.logger.warn({ ...origin, handler, error }, 'poison record sent to dead-letters');
    const dl = deadLetterMessage(origin, message.key, message.value, error, 'checkout-api', this.nowMs());
    await this.producer.send({ topic: this.options.deadLetterTopic, messages: [dl.message], acks: -1 });
  }

  private progress(topic: string, partition: number, lastOffset: string) {
    const key = `${topic}:${partition}`;
    const target = this.pendingTargets.get(key);
    if (target !== undefined && BigInt(lastOffset) + 1n >= target) {
      this.pendingTargets.delete(key);
      this.checkCaughtUp();
    }
  }

  private checkCaughtUp() {
    if (this.caughtUp || !this.options.onCaughtUp || this.pendingTargets.size > 0) return;
    this.caughtUp = true;
    this.options.onCaughtUp();
  }
}

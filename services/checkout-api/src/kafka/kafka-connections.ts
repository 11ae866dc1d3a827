import { Injectable } from '@nestjs/common';
import type { Logger } from '@kartshoppe/runtime';
import type { Admin, Kafka, Producer } from 'kafkajs';

/**
 * The API's Kafka clients. Kafka being down must not stop the API from starting or taking orders
 * (orders wait in the outbox), so connecting is a background loop and `ready` says where it stands.
 */
@Injectable()
export class KafkaConnections {
  readonly producer: Producer;
  readonly admin: Admin;
  /** Dead letters and topic-inspector produces: kept off the idempotent order producer's sequence. */
  readonly auxProducer: Producer;
  private producerReady = false;
  private stopped = false;
  private connecting: Promise<void> | undefined;

  constructor(
    readonly kafka: Kafka,
    private readonly logger: Logger,
  ) {
    // Idempotent + acks=all: a retried produce request is written once (the eventId guards the rest).
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 200, maxRetryTime: 2_000 },
    });
    this.auxProducer = kafka.producer({ allowAutoTopicCreation: false });
    this.admin = kafka.admin({ retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 1_000 } });
    this.producer.on(this.producer.events.DISCONNECT, () => {
      this.producerReady = false;
      if (!this.stopped) void this.start();
    });
  }

  get ready(): boolean {
    return this.producerReady;
  }

  /** Starts (or resumes) connecting; resolves when connected or stopped. */
  start(): Promise<void> {
    this.connecting ??= (async () => {
      let delayMs = 500;
      while (!this.stopped) {
        try {
          await this.producer.connect();
          await this.admin.connect();
          await this.auxProducer.connect();
          this.producerReady = true;
          this.logger.info('kafka producer connected');
          break;
        } catch (error) {
          this.logger.warn(
            { err: (error as Error).message, retryInMs: delayMs },
            'kafka unavailable, retrying',
          );
          await new Promise((r) => setTimeout(r, delayMs).unref());
          delayMs = Math.min(delayMs * 2, 5_000);
        }
      }
    })().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.producerReady = false;
    await Promise.allSettled([
      this.producer.disconnect(),
      this.admin.disconnect(),
      this.auxProducer.disconnect(),
    ]);
  }
}

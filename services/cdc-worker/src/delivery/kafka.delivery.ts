import type { Producer } from 'kafkajs';
import { toTopicMessages } from '@kartshoppe/runtime';
import type { ChunkLimits, DeliveryItem, DeliveryQueue } from './delivery-queue';

/**
 * Drains the DeliveryQueue into Kafka: one request in flight at a time (so records keep commit order
 * without relying on producer retries), acks=all, idempotent producer. `onDelivered` gets the items a
 * request completed — only then may their positions be confirmed to Postgres.
 */
export class KafkaDelivery {
  private sending = false;
  private failed: unknown = null;
  private idleWaiters: (() => void)[] = [];
  private failWaiters: ((e: unknown) => void)[] = [];

  constructor(
    private readonly producer: Producer,
    private readonly queue: DeliveryQueue,
    private readonly limits: ChunkLimits,
    private readonly onDelivered: (items: DeliveryItem[]) => void,
  ) {}

  enqueue(item: DeliveryItem): void {
    this.queue.enqueue(item);
    void this.pump();
  }

  /** Rejects when a request fails for good: the session ends and everything unconfirmed is re-streamed. */
  failure(): Promise<never> {
    return new Promise<never>((_, reject) => {
      if (this.failed) reject(this.failed);
      else this.failWaiters.push(reject);
    });
  }

  /** Resolves once everything enqueued so far is delivered (SIGTERM drain). */
  drained(): Promise<void> {
    if (this.queue.isEmpty && !this.sending) return Promise.resolve();
    return new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private async pump(): Promise<void> {
    if (this.sending || this.failed) return;
    this.sending = true;
    try {
      for (let chunk = this.queue.nextChunk(this.limits); chunk; chunk = this.queue.nextChunk(this.limits)) {
        if (chunk.records.length > 0) {
          await this.producer.sendBatch({ topicMessages: toTopicMessages(chunk.records), acks: -1 });
        }
        const done = this.queue.acknowledge(chunk);
        if (done.length > 0) this.onDelivered(done);
      }
    } catch (error) {
      this.failed = error;
      for (const reject of this.failWaiters.splice(0)) reject(error);
    } finally {
      this.sending = false;
    }
    if (this.queue.isEmpty) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}

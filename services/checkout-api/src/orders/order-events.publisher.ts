import { Injectable } from '@nestjs/common';
import type { OrderItemEvent } from '@kartshoppe/contracts';
import { toTopicMessages, type Logger } from '@kartshoppe/runtime';
import { KafkaConnections } from '../kafka/kafka-connections';

interface Pending {
  orderId: string;
  events: OrderItemEvent[];
  settle: (ok: boolean) => void;
}

export interface PublisherOptions {
  topic: string;
  lingerMs: number;
  maxQueuedEvents: number;
  maxBatchEvents: number;
}

/**
 * Publishes order lines to `order-events` (key productId) after the order committed (never before,
 * F-C-2). Checkouts arriving together are micro-batched into one produce request, one request in
 * flight at a time (the idempotent producer keeps sequence order). A caller waits at most its own
 * timeout (F-REL-2); a batch that is acknowledged later still reports its orders as delivered through
 * `onDelivered`, and anything never acknowledged stays `published=false` for the outbox.
 */
@Injectable()
export class OrderEventsPublisher {
  private queue: Pending[] = [];
  /** Orders queued or being sent: a second publish of the same order (the outbox) joins the first. */
  private readonly inFlight = new Map<string, Promise<boolean>>();
  private queuedEvents = 0;
  private flushing = false;
  private timer: NodeJS.Timeout | undefined;
  onDelivered: (orderIds: string[]) => void = () => undefined;

  constructor(
    private readonly kafka: KafkaConnections,
    private readonly options: PublisherOptions,
    private readonly logger: Logger,
  ) {}

  /** Resolves true once Kafka acknowledged every event of the order, false on error or timeout. */
  publish(orderId: string, events: OrderItemEvent[], timeoutMs: number): Promise<boolean> {
    let delivery = this.inFlight.get(orderId);
    if (!delivery) {
      if (!this.kafka.ready || this.queuedEvents + events.length > this.options.maxQueuedEvents) {
        return Promise.resolve(false);
      }
      delivery = new Promise<boolean>((settle) => {
        this.queue.push({ orderId, events, settle });
        this.queuedEvents += events.length;
        this.schedule();
      }).finally(() => this.inFlight.delete(orderId));
      this.inFlight.set(orderId, delivery);
    }
    // The caller stops waiting after its timeout; the delivery itself goes on (and marks the order).
    let timer: NodeJS.Timeout;
    return Promise.race([
      delivery,
      new Promise<boolean>((r) => (timer = setTimeout(() => r(false), timeoutMs))),
    ]).finally(() => clearTimeout(timer));
  }

  /** Resolves when nothing is queued or in flight (used by the SIGTERM drain). */
  async drained(): Promise<void> {
    while (this.flushing || this.queue.length || this.timer) await new Promise((r) => setTimeout(r, 20));
  }

  private schedule(): void {
    if (this.flushing || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.options.lingerMs);
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length) {
        const batch: Pending[] = [];
        let count = 0;
        while (
          this.queue.length &&
          (count === 0 || count + this.queue[0].events.length <= this.options.maxBatchEvents)
        ) {
          const next = this.queue.shift()!;
          batch.push(next);
          count += next.events.length;
        }
        this.queuedEvents -= count;
        const records = batch.flatMap((p) =>
          p.events.map((e) => ({ topic: this.options.topic, key: e.productId, value: e })),
        );
        try {
          await this.kafka.producer.sendBatch({ topicMessages: toTopicMessages(records), acks: -1 });
          this.onDelivered(batch.map((p) => p.orderId));
          for (const p of batch) p.settle(true);
        } catch (error) {
          this.logger.warn(
            { err: (error as Error).message, orders: batch.length },
            'order events not published; the outbox retries',
          );
          for (const p of batch) p.settle(false);
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}

import { Injectable } from '@nestjs/common';
import type { Logger } from '@kartshoppe/runtime';
import { orderItemEvents } from './checkout.rules';
import { OrderEventsPublisher } from './order-events.publisher';
import { OrdersRepository } from './orders.repository';

export interface OutboxOptions {
  pollMs: number;
  graceMs: number;
  batchOrders: number;
  publishTimeoutMs: number;
}

/**
 * Delivers direct-mode orders whose inline publish did not get Kafka's acknowledgement (Kafka down,
 * timeout, crash between commit and publish): no committed order is ever lost (F-C-2, F-C-3). The
 * events it sends are built the same way as the inline ones (same eventIds, the order's creation time),
 * so an order published by both paths is applied once by the processor. Backs off while Kafka fails.
 */
@Injectable()
export class OutboxPublisher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private delayMs: number;

  constructor(
    private readonly orders: OrdersRepository,
    private readonly publisher: OrderEventsPublisher,
    private readonly options: OutboxOptions,
    private readonly logger: Logger,
  ) {
    this.delayMs = options.pollMs;
  }

  start(): void {
    this.stopped = false;
    this.schedule(this.options.pollMs);
  }

  /** One pass: claim, publish, mark; loops while full batches keep coming. */
  async runOnce(): Promise<number> {
    let total = 0;
    for (;;) {
      const { claimed, published } = await this.orders.publishPending(
        this.options.graceMs,
        this.options.batchOrders,
        async (pending) => {
          const results = await Promise.all(
            pending.map((o) =>
              this.publisher.publish(
                o.orderId,
                orderItemEvents(o.orderId, o.lines, o.createdAtMs),
                this.options.publishTimeoutMs,
              ),
            ),
          );
          return results.every(Boolean);
        },
      );
      if (!published) throw new Error('kafka did not acknowledge the outbox batch');
      total += claimed;
      if (claimed < this.options.batchOrders) return total;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => (this.running = undefined));
    }, ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    try {
      const n = await this.runOnce();
      if (n > 0) this.logger.info({ orders: n }, 'outbox published orders');
      this.delayMs = this.options.pollMs;
    } catch (error) {
      this.delayMs = Math.min(this.delayMs * 2, 30_000);
      this.logger.warn({ err: (error as Error).message, retryInMs: this.delayMs }, 'outbox publish failed');
    }
    this.schedule(this.delayMs);
  }
}

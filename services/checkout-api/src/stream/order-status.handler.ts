import { OrderItemStatusSchema, parseJsonWith } from '@kartshoppe/contracts';
import type { KafkaMessage } from 'kafkajs';
import type { OrdersService } from '../orders/orders.service';
import type { RecordHandler } from './record-handler';

/** `order-status`: the processor's verdict per line → Postgres, once even if delivered twice. */
export class OrderStatusHandler implements RecordHandler {
  readonly name = 'order-status';
  constructor(
    private readonly topic: string,
    private readonly orders: OrdersService,
  ) {}
  accepts(topic: string) {
    return topic === this.topic;
  }
  async handle(message: KafkaMessage) {
    const parsed = parseJsonWith(OrderItemStatusSchema, message.value);
    if (!parsed.ok) return parsed.error;
    await this.orders.recordItemStatus(parsed.value); // throws (→ retried) only when Postgres is down
    return undefined;
  }
}

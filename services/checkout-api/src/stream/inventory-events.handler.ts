import { InventoryEventSchema, parseJsonWith } from '@kartshoppe/contracts';
import type { Logger } from '@kartshoppe/runtime';
import type { KafkaMessage } from 'kafkajs';
import type { ReadModel } from '../catalog/read-model';
import type { RecordHandler } from './record-handler';

/**
 * `inventory-events` and `websocket_fanout`: partial updates, merge-only. Both carry the same events,
 * so the version check makes the second copy a no-op. An update for an unknown product is logged and
 * dropped — never a half product (F-RM-2).
 */
export class InventoryEventsHandler implements RecordHandler {
  readonly name = 'inventory-events';
  constructor(
    private readonly topics: string[],
    private readonly readModel: ReadModel,
    private readonly logger: Logger,
  ) {}
  accepts(topic: string) {
    return this.topics.includes(topic);
  }
  handle(message: KafkaMessage) {
    const parsed = parseJsonWith(InventoryEventSchema, message.value);
    if (!parsed.ok) return parsed.error;
    const outcome = this.readModel.applyInventoryEvent(parsed.value);
    if (outcome.kind === 'unknown-product' && this.readModel.warm) {
      this.logger.warn(
        { productId: parsed.value.productId },
        'inventory update for an unknown product dropped',
      );
    }
    return undefined;
  }
}

import { ProductSchema, parseJsonWith } from '@kartshoppe/contracts';
import type { KafkaMessage } from 'kafkajs';
import type { ReadModel } from '../catalog/read-model';
import type { RecordHandler } from './record-handler';

/** `products`: full canonical products; applied when newer (F-RM-2). */
export class ProductsHandler implements RecordHandler {
  readonly name = 'products';
  constructor(
    private readonly topic: string,
    private readonly readModel: ReadModel,
  ) {}
  accepts(topic: string) {
    return topic === this.topic;
  }
  handle(message: KafkaMessage) {
    if (message.value === null) return undefined; // compaction tombstone: nothing to apply
    const parsed = parseJsonWith(ProductSchema, message.value);
    if (!parsed.ok) return parsed.error;
    this.readModel.applyProduct(parsed.value);
    return undefined;
  }
}

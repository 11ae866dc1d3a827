import { AlertEventSchema, parseJsonWith } from '@kartshoppe/contracts';
import type { KafkaMessage } from 'kafkajs';
import type { ReadModel } from '../catalog/read-model';
import type { RecordHandler } from './record-handler';

/** `inventory-alerts`: the last N alerts for the storefront, once each by alertId. */
export class AlertsHandler implements RecordHandler {
  readonly name = 'inventory-alerts';
  constructor(
    private readonly topic: string,
    private readonly readModel: ReadModel,
  ) {}
  accepts(topic: string) {
    return topic === this.topic;
  }
  handle(message: KafkaMessage) {
    const parsed = parseJsonWith(AlertEventSchema, message.value);
    if (!parsed.ok) return parsed.error;
    this.readModel.addAlert(parsed.value);
    return undefined;
  }
}

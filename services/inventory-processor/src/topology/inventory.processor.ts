import {
  OrderItemEventSchema,
  ProductPatchSchema,
  parseJsonWith,
  productUpdateSchemaFor,
  type ProductPatch,
} from '@kartshoppe/contracts';
import { deadLetterMessage } from '@kartshoppe/runtime';
import {
  applyCatalogProduct,
  applyOrderDeduction,
  applyProductUpdate,
  fireStaleTimer,
  isKnownProduct,
  type InventoryRulesConfig,
  type KeyState,
  type RuleOutput,
  type RuleResult,
} from '../rules';
import { DeadlineIndex } from '../streams/deadline.index';
import { partitionForKey } from '../streams/murmur2.partitioner';
import type { InputRecord, KeyValueStore, Processor, ProcessorContext } from '../streams/processor';
import { CATALOG_SOURCE, CHILD, type InventoryTopics } from './inventory.topology';

export interface InventoryProcessorOptions {
  topics: Pick<InventoryTopics, 'productUpdates' | 'orderEvents'>;
  rules: InventoryRulesConfig;
  timerSweepMs: number;
  component?: string;
}

/**
 * The original's SharedInventoryProcessor as a keyed co-processor: product updates and order lines of
 * the same productId (co-partitioned inputs) meet one keyed state. The rules are pure (src/rules); this
 * class only parses, routes, stores, keeps the timer index and forwards.
 */
/** How a product record meets its key's state (an update, or a catalog entry). */
type ProductRule = (
  state: KeyState | undefined,
  input: ProductPatch,
  config: InventoryRulesConfig,
  nowMs: number,
) => RuleResult;

export class InventoryProcessor implements Processor<KeyState> {
  private ctx!: ProcessorContext<KeyState>;
  private store!: KeyValueStore<KeyState>;
  private timers = new DeadlineIndex();
  private readonly component: string;

  constructor(private readonly options: InventoryProcessorOptions) {
    this.component = options.component ?? 'inventory-processor';
  }

  init(context: ProcessorContext<KeyState>): void {
    this.ctx = context;
    this.store = context.getStore();
    // Timers are state: rebuilt from the (restored) store, so a timer that came due while the
    // processor was down fires within one sweep after the restart.
    this.timers = new DeadlineIndex();
    for (const [key, state] of this.store.entries()) this.timers.set(key, staleDeadline(state));
    context.schedule(this.options.timerSweepMs, (nowMs) => this.sweep(nowMs));
  }

  process(record: InputRecord): void {
    if (record.topic === this.options.topics.orderEvents) return this.processOrder(record);
    if (record.topic === this.options.topics.productUpdates) return this.processProductUpdate(record);
    if (record.topic === CATALOG_SOURCE) return this.processCatalogRecord(record);
    this.deadLetter(record, `no handler for topic ${record.topic}`);
  }

  close(): void {
    this.timers = new DeadlineIndex();
  }

  pendingTimers(): number {
    return this.timers.size;
  }

  private processOrder(record: InputRecord): void {
    const parsed = parseJsonWith(OrderItemEventSchema, record.value);
    if (!parsed.ok) return this.deadLetter(record, parsed.error);
    const order = parsed.value;
    if (!this.ownsKey(order.productId)) {
      return this.ctx.forward({ key: order.productId, value: record.value }, CHILD.repartitionOrderEvents);
    }
    this.applyResult(
      order.productId,
      record,
      applyOrderDeduction(
        this.store.get(order.productId),
        order,
        this.options.rules,
        this.ctx.currentTimeMs(),
      ),
    );
  }

  private processProductUpdate(record: InputRecord): void {
    const parsed = parseJsonWith<ProductPatch | ProductPatch[]>(
      productUpdateSchemaFor(record.value),
      record.value,
    );
    if (!parsed.ok) return this.deadLetter(record, parsed.error);
    if (Array.isArray(parsed.value)) {
      // The original accepted an array of products in one record; each goes back keyed by its id so it
      // meets its own partition's state (in the same transaction, so nothing is lost or doubled).
      for (const patch of parsed.value) {
        this.ctx.forward({ key: patch.productId, value: patch }, CHILD.repartitionProductUpdates);
      }
      return;
    }
    this.applyPatch(parsed.value, record, applyProductUpdate);
  }

  /** One element of the catalog file (F-FL-9: validated one by one, a bad one dead-lettered alone). */
  private processCatalogRecord(record: InputRecord): void {
    const parsed = parseJsonWith(ProductPatchSchema, record.value);
    if (!parsed.ok) return this.deadLetter(record, `catalog entry ${record.offset}: ${parsed.error}`);
    if (!this.ownsKey(parsed.value.productId)) return; // another partition's task bootstraps it
    this.applyPatch(parsed.value, record, applyCatalogProduct);
  }

  private applyPatch(patch: ProductPatch, record: InputRecord, rule: ProductRule): void {
    if (!this.ownsKey(patch.productId)) {
      return this.ctx.forward({ key: patch.productId, value: patch }, CHILD.repartitionProductUpdates);
    }
    this.applyResult(
      patch.productId,
      record,
      rule(this.store.get(patch.productId), patch, this.options.rules, this.ctx.currentTimeMs()),
    );
  }

  private sweep(nowMs: number): void {
    for (const key of this.timers.due(nowMs)) {
      const state = this.store.get(key);
      if (!isKnownProduct(state)) {
        this.timers.set(key, null);
        continue;
      }
      const result = fireStaleTimer(state, this.options.rules, nowMs);
      if (result.state) this.save(key, result.state);
      this.emit(result.outputs);
    }
  }

  private applyResult(key: string, record: InputRecord, result: RuleResult): void {
    if (result.poison !== undefined) return this.deadLetter(record, result.poison);
    if (result.state) this.save(key, result.state);
    this.emit(result.outputs);
  }

  private save(key: string, state: KeyState): void {
    this.store.put(key, state);
    this.timers.set(key, staleDeadline(state));
  }

  private emit(outputs: readonly RuleOutput[]): void {
    for (const o of outputs) {
      switch (o.kind) {
        case 'product':
          this.ctx.forward({ key: o.product.productId, value: o.product }, CHILD.products);
          break;
        case 'inventory-event':
          this.ctx.forward({ key: o.event.productId, value: o.event }, CHILD.inventoryEvents);
          this.ctx.forward({ key: o.event.productId, value: o.event }, CHILD.websocketFanout);
          break;
        case 'alert':
          this.ctx.forward({ key: o.alert.productId, value: o.alert }, CHILD.alerts);
          break;
        case 'order-status':
          this.ctx.forward({ key: o.status.orderId, value: o.status }, CHILD.orderStatus);
          break;
      }
    }
  }

  private ownsKey(productId: string): boolean {
    return partitionForKey(productId, this.ctx.partitionCount) === this.ctx.partition;
  }

  private deadLetter(record: InputRecord, error: string): void {
    const origin = { topic: record.topic, partition: record.partition, offset: record.offset };
    const { message } = deadLetterMessage(
      origin,
      record.key,
      record.value,
      error,
      this.component,
      this.ctx.currentTimeMs(),
    );
    this.ctx.forward(
      {
        key: message.key ?? null,
        value: message.value ?? null,
        headers: message.headers as Record<string, string>,
      },
      CHILD.deadLetters,
    );
  }
}

/** A key without a product (only remembered rejections) has no stale timer. */
function staleDeadline(state: KeyState): number | null {
  return isKnownProduct(state) ? state.staleDeadlineMs : null;
}

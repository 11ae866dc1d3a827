import { Injectable } from '@nestjs/common';
import type { AlertEvent, InventoryEvent, Product } from '@kartshoppe/contracts';
import { mergeFullProduct, mergeInventoryEvent, type MergeOutcome } from './read-model.rules';

export type ReadModelListener = {
  productChanged?: (product: Product) => void;
  alert?: (alert: AlertEvent) => void;
  warmed?: () => void;
};

/**
 * The in-memory product catalog and recent alerts, rebuilt from Kafka on every start (F-RM-3). Only
 * the merge rules in read-model.rules.ts decide what changes; listeners (the WebSocket gateway) hear
 * about applied changes once warm, so a rebuild does not replay history to connected browsers.
 */
@Injectable()
export class ReadModel {
  private readonly products = new Map<string, Product>();
  private readonly alerts = new Map<string, AlertEvent>();
  private readonly listeners: ReadModelListener[] = [];
  private warmFlag = false;
  private categoriesCache: string[] | undefined;

  constructor(private readonly alertsKept: number = 100) {}

  listen(listener: ReadModelListener): void {
    this.listeners.push(listener);
  }

  get warm(): boolean {
    return this.warmFlag;
  }

  markWarm(): void {
    if (this.warmFlag) return;
    this.warmFlag = true;
    for (const l of this.listeners) l.warmed?.();
  }

  get(productId: string): Product | undefined {
    return this.products.get(productId);
  }

  all(): Product[] {
    return [...this.products.values()];
  }

  size(): number {
    return this.products.size;
  }

  categories(): string[] {
    this.categoriesCache ??= [...new Set([...this.products.values()].map((p) => p.category))].sort();
    return this.categoriesCache;
  }

  applyProduct(product: Product): MergeOutcome {
    return this.apply(mergeFullProduct(this.products.get(product.productId), product));
  }

  applyInventoryEvent(event: InventoryEvent): MergeOutcome {
    return this.apply(mergeInventoryEvent(this.products.get(event.productId), event));
  }

  /** Keeps the last N alerts, once each (alertId is stable across redeliveries). */
  addAlert(alert: AlertEvent): boolean {
    if (this.alerts.has(alert.alertId)) return false;
    this.alerts.set(alert.alertId, alert);
    while (this.alerts.size > this.alertsKept) this.alerts.delete(this.alerts.keys().next().value!);
    if (this.warmFlag) for (const l of this.listeners) l.alert?.(alert);
    return true;
  }

  recentAlerts(): AlertEvent[] {
    return [...this.alerts.values()].reverse();
  }

  private apply(outcome: MergeOutcome): MergeOutcome {
    if (outcome.kind !== 'applied') return outcome;
    const before = this.products.get(outcome.product.productId);
    if (!before || before.category !== outcome.product.category) this.categoriesCache = undefined;
    this.products.set(outcome.product.productId, outcome.product);
    if (this.warmFlag) for (const l of this.listeners) l.productChanged?.(outcome.product);
    return outcome;
  }
}

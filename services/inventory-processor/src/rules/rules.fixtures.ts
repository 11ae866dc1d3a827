import type { OrderItemEvent, ProductPatch } from '@kartshoppe/contracts';
import { orderItemEventId } from '@kartshoppe/contracts';
import { DEFAULT_RULES_CONFIG, type ProductState, type RuleOutput, type RuleResult } from './inventory-state';
import { applyProductUpdate } from './product-update.rules';

/** Test data factories shared by the rule specs. */
export const CONFIG = { ...DEFAULT_RULES_CONFIG, staleAfterMs: 60_000 };
export const T0 = 1_700_000_000_000;

export function fullProduct(overrides: Partial<ProductPatch> = {}): ProductPatch {
  return {
    productId: 'PROD_0001',
    name: 'FutureTech UltraBook Pro 15',
    description: 'A laptop',
    category: 'Electronics',
    brand: 'FutureTech',
    price: 1899.99,
    inventory: 10,
    imageUrl: 'https://picsum.photos/seed/PROD_0001/400/300',
    tags: ['laptop'],
    rating: 4.8,
    reviewCount: 10,
    ...overrides,
  };
}

export function stateWith(overrides: Partial<ProductPatch> = {}, nowMs = T0): ProductState {
  const result = applyProductUpdate(undefined, fullProduct(overrides), CONFIG, nowMs);
  if (!result.state) throw new Error(`fixture invalid: ${result.poison}`);
  return result.state;
}

export function order(orderId: string, quantity: number, productId = 'PROD_0001'): OrderItemEvent {
  return {
    eventId: orderItemEventId(orderId, productId),
    orderId,
    productId,
    quantity,
    timestamp: T0,
    source: 'api',
  };
}

/** A compact view of outputs for table assertions. */
export function summary(result: RuleResult): string[] {
  return result.outputs.map(describe);
}

export function describe(o: RuleOutput): string {
  switch (o.kind) {
    case 'product':
      return `product inv=${o.product.inventory} price=${o.product.price} v=${o.product.version}`;
    case 'inventory-event':
      return `event ${o.event.eventType} ${o.event.previousInventory}->${o.event.currentInventory}`;
    case 'alert':
      return `alert ${o.alert.alertType} ${o.alert.severity}`;
    case 'order-status':
      return `status ${o.status.status}${o.status.reason ? ` ${o.status.reason}` : ''} left=${o.status.remainingInventory}`;
  }
}

/**
 * A small, correct chaos world for the verifier's unit tests: it plays the platform's rules (deduct when
 * the stock suffices, else reject; a restock sets the stock) and records what each part would show.
 * Tests then break one thing and expect the verifier to name it.
 */
import type { ChaosRecords, InventoryEventRecord } from './records';

export type WorldStep =
  | { order: string; lines: [productId: string, quantity: number][]; useCdc?: boolean }
  | { restock: string; inventory: number }
  | { poison: string; topic: string };

export function world(catalog: Record<string, number>, steps: WorldStep[]): ChaosRecords {
  const r: ChaosRecords = {
    catalog: Object.entries(catalog).map(([productId, inventory]) => ({ productId, inventory })),
    acknowledged: [],
    restocks: [],
    poison: [],
    postgresOrders: [],
    orderEvents: [],
    orderStatuses: [],
    inventoryEvents: [],
    productsTopic: [],
    deadLetters: [],
    processorState: [],
  };
  const stock = new Map<string, { inventory: number; version: number }>();
  const emit = (e: InventoryEventRecord) => r.inventoryEvents.push(e);
  for (const [productId, inventory] of Object.entries(catalog)) {
    stock.set(productId, { inventory, version: 1 });
    emit({
      productId,
      eventType: 'PRODUCT_ADDED',
      previousInventory: 0,
      currentInventory: inventory,
      version: 1,
    });
  }
  let offset = 0;
  for (const step of steps) {
    if ('restock' in step) {
      const s = stock.get(step.restock)!;
      const eventType = step.inventory >= s.inventory ? 'INVENTORY_INCREASED' : 'INVENTORY_DECREASED';
      emit({
        productId: step.restock,
        eventType,
        previousInventory: s.inventory,
        currentInventory: step.inventory,
        version: s.version + 1,
      });
      stock.set(step.restock, { inventory: step.inventory, version: s.version + 1 });
      r.restocks.push({
        productId: step.restock,
        inventory: step.inventory,
        partition: 0,
        offset: String(offset++),
      });
    } else if ('poison' in step) {
      const at = { topic: step.topic, partition: 1, offset: String(offset++) };
      r.poison.push({ kind: step.poison, ...at });
      r.deadLetters.push({
        originTopic: at.topic,
        originPartition: at.partition,
        originOffset: at.offset,
        component: 'inventory-processor',
      });
    } else {
      const orderId = step.order;
      const lines = step.lines.map(([productId, quantity]) => ({ productId, quantity }));
      r.acknowledged.push({
        orderId,
        sessionId: `s-${orderId}`,
        idempotencyKey: `key-${orderId}`,
        useCdc: step.useCdc ?? false,
        lines,
      });
      const items = lines.map((l) => {
        const eventId = `${orderId}:${l.productId}`;
        r.orderEvents.push({ eventId, orderId, ...l, source: step.useCdc ? 'cdc' : 'api' });
        const s = stock.get(l.productId)!;
        const reserved = l.quantity <= s.inventory;
        if (reserved) {
          const left = s.inventory - l.quantity;
          stock.set(l.productId, { inventory: left, version: s.version + 1 });
          emit({
            productId: l.productId,
            eventType: left === 0 ? 'OUT_OF_STOCK' : 'INVENTORY_DECREASED',
            previousInventory: s.inventory,
            currentInventory: left,
            version: s.version + 1,
            eventId,
          });
        } else {
          emit({
            productId: l.productId,
            eventType: 'ORDER_REJECTED',
            previousInventory: s.inventory,
            currentInventory: s.inventory,
            version: s.version,
            eventId,
          });
        }
        const status = reserved ? ('RESERVED' as const) : ('REJECTED' as const);
        r.orderStatuses.push({
          eventId,
          orderId,
          productId: l.productId,
          status,
          reason: reserved ? null : 'INSUFFICIENT_STOCK',
          quantity: l.quantity,
          remainingInventory: stock.get(l.productId)!.inventory,
        });
        return { ...l, status };
      });
      r.postgresOrders.push({
        orderId,
        sessionId: `s-${orderId}`,
        idempotencyKey: `key-${orderId}`,
        publishMode: step.useCdc ? 'cdc' : 'direct',
        status: items.every((i) => i.status === 'RESERVED')
          ? 'CONFIRMED'
          : items.every((i) => i.status === 'REJECTED')
            ? 'REJECTED'
            : 'PARTIALLY_CONFIRMED',
        items,
      });
    }
  }
  for (const [productId, s] of stock) {
    r.productsTopic.push({ productId, ...s });
    r.processorState.push({ productId, ...s });
  }
  r.apiReadModel = [...stock].map(([productId, s]) => ({ productId, ...s }));
  return r;
}

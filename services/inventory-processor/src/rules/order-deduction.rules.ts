import type { OrderItemEvent, OrderItemStatus } from '@kartshoppe/contracts';
import { stockAlerts } from './alerts.rules';
import {
  hasAppliedEventId,
  rememberEventId,
  type InventoryRulesConfig,
  type ProductState,
  type RuleResult,
  type VersionedProduct,
} from './inventory-state';
import { event } from './product-update.rules';

/**
 * Applies one order line (the original's processElement2, with its flaws fixed):
 * - an eventId already applied to this product → no outputs at all (exactly once in effect);
 * - unknown product → order-status REJECTED / UNKNOWN_PRODUCT (the original dropped it silently, F-FL-6);
 * - quantity <= inventory → deduct: INVENTORY_DECREASED (OUT_OF_STOCK when it reaches 0), RESERVED;
 * - otherwise nothing is deducted → ORDER_REJECTED, REJECTED / INSUFFICIENT_STOCK. Stock is never
 *   negative and never silently clamped (the original clamped to 0 and oversold, F-FL-1).
 */
export function applyOrderDeduction(
  state: ProductState | undefined,
  order: OrderItemEvent,
  config: InventoryRulesConfig,
  nowMs: number,
): RuleResult {
  if (!state) {
    return {
      state,
      outputs: [{ kind: 'order-status', status: status(order, 'REJECTED', 'UNKNOWN_PRODUCT', null, nowMs) }],
    };
  }
  if (hasAppliedEventId(state.appliedEventIds, order.eventId)) return { state, outputs: [] };

  const before = state.product;
  const appliedEventIds = rememberEventId(state.appliedEventIds, order.eventId, config.dedupWindowEvents);
  const activity = { lastActivityMs: nowMs, staleDeadlineMs: nowMs + config.staleAfterMs };

  if (order.quantity > before.inventory) {
    const reason = `Rejected order ${order.orderId}: requested ${order.quantity}, only ${before.inventory} available`;
    return {
      state: { ...state, appliedEventIds, ...activity },
      outputs: [
        {
          kind: 'inventory-event',
          event: event(
            before,
            'ORDER_REJECTED',
            before.inventory,
            before.price,
            reason,
            nowMs,
            order.eventId,
          ),
        },
        {
          kind: 'order-status',
          status: status(order, 'REJECTED', 'INSUFFICIENT_STOCK', before.inventory, nowMs),
        },
      ],
    };
  }

  const product: VersionedProduct = {
    ...before,
    inventory: before.inventory - order.quantity,
    version: before.version + 1,
    updatedAt: nowMs,
  };
  const eventType = product.inventory === 0 ? 'OUT_OF_STOCK' : 'INVENTORY_DECREASED';
  const reason = `Reserved ${order.quantity} units for order ${order.orderId}`;
  return {
    state: { product, appliedEventIds, ...activity },
    outputs: [
      { kind: 'product', product },
      {
        kind: 'inventory-event',
        event: event(product, eventType, before.inventory, before.price, reason, nowMs, order.eventId),
      },
      ...stockAlerts(before.inventory, product, config, nowMs).map((alert) => ({
        kind: 'alert' as const,
        alert,
      })),
      { kind: 'order-status', status: status(order, 'RESERVED', null, product.inventory, nowMs) },
    ],
  };
}

function status(
  order: OrderItemEvent,
  value: OrderItemStatus['status'],
  reason: OrderItemStatus['reason'],
  remainingInventory: number | null,
  nowMs: number,
): OrderItemStatus {
  return {
    orderId: order.orderId,
    productId: order.productId,
    eventId: order.eventId,
    status: value,
    reason,
    quantity: order.quantity,
    remainingInventory,
    timestamp: nowMs,
  };
}

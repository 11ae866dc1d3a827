import type { OrderItemEvent, OrderItemStatus } from '@kartshoppe/contracts';
import { stockAlerts } from './alerts.rules';
import {
  hasAppliedEventId,
  isKnownProduct,
  rememberEventId,
  type InventoryRulesConfig,
  type KeyState,
  type ProductState,
  type RuleResult,
  type VersionedProduct,
} from './inventory-state';
import { event } from './product-update.rules';

/**
 * Applies one order line (the original's processElement2, with its flaws fixed):
 * - an eventId already decided for this productId → no outputs at all (exactly once in effect), also
 *   when the first verdict was UNKNOWN_PRODUCT and the product has appeared since;
 * - unknown product → order-status REJECTED / UNKNOWN_PRODUCT (the original dropped it silently,
 *   F-FL-6), and the eventId is remembered in an UnknownProductState;
 * - quantity <= inventory → deduct: INVENTORY_DECREASED (OUT_OF_STOCK when it reaches 0), RESERVED;
 * - otherwise nothing is deducted → ORDER_REJECTED, REJECTED / INSUFFICIENT_STOCK. Stock is never
 *   negative and never silently clamped (the original clamped to 0 and oversold, F-FL-1).
 */
export function applyOrderDeduction(
  state: ProductState,
  order: OrderItemEvent,
  config: InventoryRulesConfig,
  nowMs: number,
): RuleResult<ProductState>;
export function applyOrderDeduction(
  state: KeyState | undefined,
  order: OrderItemEvent,
  config: InventoryRulesConfig,
  nowMs: number,
): RuleResult;
export function applyOrderDeduction(
  state: KeyState | undefined,
  order: OrderItemEvent,
  config: InventoryRulesConfig,
  nowMs: number,
): RuleResult {
  const decided = state?.appliedEventIds ?? [];
  if (hasAppliedEventId(decided, order.eventId)) return { state, outputs: [] };
  const appliedEventIds = rememberEventId(decided, order.eventId, config.dedupWindowEvents);
  if (!isKnownProduct(state)) {
    return {
      state: { product: null, appliedEventIds },
      outputs: [{ kind: 'order-status', status: status(order, 'REJECTED', 'UNKNOWN_PRODUCT', null, nowMs) }],
    };
  }

  const before = state.product;
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

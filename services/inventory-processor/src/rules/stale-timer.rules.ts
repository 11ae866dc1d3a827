import { alert } from './alerts.rules';
import type { InventoryRulesConfig, ProductState, RuleResult, VersionedProduct } from './inventory-state';
import { event } from './product-update.rules';

/**
 * The stale timer (the original's onTimer): when a product has had no update and no order for
 * `staleAfterMs`, one STALE_INVENTORY event and one STALE_INVENTORY alert. The event carries the
 * current inventory AND price (the original sent no price and the storefront showed $0.00, F-RM-1).
 * It fires once per quiet period: the deadline is cleared until the next update or order re-arms it.
 * The version is bumped so the alert's id is unique per quiet period.
 */
export function fireStaleTimer(
  state: ProductState,
  config: InventoryRulesConfig,
  nowMs: number,
): RuleResult<ProductState> {
  if (state.staleDeadlineMs === null || nowMs < state.staleDeadlineMs) return { state, outputs: [] };
  const product: VersionedProduct = { ...state.product, version: state.product.version + 1 };
  const quietMs = nowMs - state.lastActivityMs;
  const reason = `No updates for ${(quietMs / 3_600_000).toFixed(1)} hours (${Math.round(quietMs / 1000)} s)`;
  return {
    state: { ...state, product, staleDeadlineMs: null },
    outputs: [
      {
        kind: 'inventory-event',
        event: event(product, 'STALE_INVENTORY', product.inventory, product.price, reason, nowMs),
      },
      {
        kind: 'alert',
        alert: alert(product, 'STALE_INVENTORY', 'INFO', `${product.name}: ${reason}`, nowMs),
      },
    ],
  };
}

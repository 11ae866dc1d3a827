import {
  ProductSchema,
  describeZodError,
  type InventoryEvent,
  type InventoryEventType,
  type ProductPatch,
} from '@kartshoppe/contracts';
import { priceAlerts, stockAlerts } from './alerts.rules';
import {
  cents,
  formatMoney,
  isKnownProduct,
  type InventoryRulesConfig,
  type KeyState,
  type ProductState,
  type RuleOutput,
  type RuleResult,
  type VersionedProduct,
} from './inventory-state';

/**
 * Applies one `product-updates` record (a full product or a patch) to a product's state
 * (the original's processElement1, with its flaws fixed):
 * - unknown product + full record → PRODUCT_ADDED; unknown product + patch → poison (F-FL-4, F-U-6);
 * - known product → the patch is merged, the result re-validated (a bad merge is poison, not a crash),
 *   and one event per change: inventory (INCREASED / DECREASED / OUT_OF_STOCK / BACK_IN_STOCK) and
 *   PRICE_CHANGED; a record changing neither is PRODUCT_UPDATED.
 * Every accepted record re-arms the stale timer and sends the full product to `products`. A product
 * that appears takes over the eventIds its UnknownProductState remembered.
 */
export function applyProductUpdate(
  state: ProductState | undefined,
  input: ProductPatch,
  config: InventoryRulesConfig,
  nowMs: number,
): RuleResult<ProductState>;
export function applyProductUpdate(
  state: KeyState | undefined,
  input: ProductPatch,
  config: InventoryRulesConfig,
  nowMs: number,
): RuleResult;
export function applyProductUpdate(
  state: KeyState | undefined,
  input: ProductPatch,
  config: InventoryRulesConfig,
  nowMs: number,
): RuleResult {
  // version and updatedAt belong to the processor; a producer cannot set them.
  const { version: _v, updatedAt: _u, ...patch } = input;
  const before = isKnownProduct(state) ? state.product : undefined;
  const merged = ProductSchema.safeParse({ ...(before ?? {}), ...patch });
  if (!merged.success) {
    const why = before
      ? `invalid product after merge: ${describeZodError(merged.error)}`
      : `patch of unknown product ${input.productId} (a new product needs every required field): ${describeZodError(merged.error)}`;
    return { state, outputs: [], poison: why };
  }
  const version = (before?.version ?? 0) + 1;
  const product: VersionedProduct = { ...merged.data, version, updatedAt: nowMs };
  const events = before ? changeEvents(before, product, nowMs) : [addedEvent(product, nowMs)];
  const previousInventory = before ? before.inventory : null;
  const alerts = [
    ...stockAlerts(previousInventory, product, config, nowMs),
    ...(before ? priceAlerts(before.price, product, config, nowMs) : []),
  ];
  const outputs: RuleOutput[] = [
    { kind: 'product', product },
    ...events.map((event) => ({ kind: 'inventory-event' as const, event })),
    ...alerts.map((alert) => ({ kind: 'alert' as const, alert })),
  ];
  return {
    state: {
      product,
      appliedEventIds: state?.appliedEventIds ?? [],
      lastActivityMs: nowMs,
      staleDeadlineMs: nowMs + config.staleAfterMs,
    },
    outputs,
  };
}

/**
 * A catalog (bootstrap file) record: applied only to a key with no product, so a restart never
 * resets stock to the file's values (F-FL-3).
 */
export function applyCatalogProduct(
  state: KeyState | undefined,
  input: ProductPatch,
  config: InventoryRulesConfig,
  nowMs: number,
): RuleResult {
  if (isKnownProduct(state)) return { state, outputs: [] };
  return applyProductUpdate(state, input, config, nowMs);
}

function addedEvent(product: VersionedProduct, nowMs: number): InventoryEvent {
  return event(product, 'PRODUCT_ADDED', 0, 0, 'New product added to catalog', nowMs);
}

function changeEvents(before: VersionedProduct, after: VersionedProduct, nowMs: number): InventoryEvent[] {
  const events: InventoryEvent[] = [];
  const prevInv = before.inventory;
  const inv = after.inventory;
  if (prevInv !== inv) {
    const delta = inv - prevInv;
    const [type, reason]: [InventoryEventType, string] =
      inv === 0
        ? ['OUT_OF_STOCK', `${-delta} units removed; product is now out of stock`]
        : prevInv === 0
          ? ['BACK_IN_STOCK', `Restocked with ${delta} units`]
          : delta < 0
            ? ['INVENTORY_DECREASED', `${-delta} units removed from inventory`]
            : ['INVENTORY_INCREASED', `${delta} units added to inventory`];
    events.push(event(after, type, prevInv, before.price, reason, nowMs));
  }
  if (cents(before.price) !== cents(after.price)) {
    events.push(
      event(after, 'PRICE_CHANGED', prevInv, before.price, priceReason(before.price, after.price), nowMs),
    );
  }
  if (events.length === 0) {
    events.push(event(after, 'PRODUCT_UPDATED', prevInv, before.price, 'Product details updated', nowMs));
  }
  return events;
}

/** "Price decreased by $x.xx (y.y%)"; no percentage from a previous price of 0 (F-FL-7). */
export function priceReason(previous: number, current: number): string {
  const diff = cents(current) - cents(previous);
  const direction = diff > 0 ? 'increased' : 'decreased';
  const amount = formatMoney(Math.abs(diff) / 100);
  if (cents(previous) === 0) return `Price set from ${formatMoney(previous)} to ${formatMoney(current)}`;
  const percent = ((Math.abs(diff) / cents(previous)) * 100).toFixed(1);
  return `Price ${direction} by ${amount} (${percent}%)`;
}

export function event(
  product: VersionedProduct,
  eventType: InventoryEventType,
  previousInventory: number,
  previousPrice: number,
  changeReason: string,
  nowMs: number,
  eventId?: string,
): InventoryEvent {
  return {
    productId: product.productId,
    productName: product.name,
    eventType,
    previousInventory,
    currentInventory: product.inventory,
    previousPrice,
    currentPrice: product.price,
    changeReason,
    timestamp: nowMs,
    version: product.version,
    ...(eventId === undefined ? {} : { eventId }),
  };
}

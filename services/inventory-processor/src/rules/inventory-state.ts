import type { AlertEvent, InventoryEvent, OrderItemStatus, Product } from '@kartshoppe/contracts';

/** A product as the processor stores it: always versioned and stamped. */
export type VersionedProduct = Product & { version: number; updatedAt: number };

/**
 * The keyed state of one product (the original's `last-product` + `last-update-time` + `timer`, plus the
 * order-line ids already applied so a redelivered order is not deducted twice).
 */
export interface ProductState {
  product: VersionedProduct;
  /**
   * eventIds applied (reserved or rejected) to this product, oldest first, at most
   * `config.dedupWindowEvents`. Duplicates come from CDC redelivery (bounded by the worker's unacked
   * window) and API publish retries (seconds), so they arrive after few other orders for the same
   * product; the window must only be larger than the number of orders for one product between an
   * original and its duplicate. 5,000 ids (~50 bytes each) keep a changelog record well below Kafka's
   * 1 MB message limit.
   */
  appliedEventIds: string[];
  /** Processing time of the last product update or order (ms). */
  lastActivityMs: number;
  /** When the stale timer fires; null once it fired for the current quiet period. */
  staleDeadlineMs: number | null;
}

/**
 * A key with no product yet that received order lines: each was REJECTED (UNKNOWN_PRODUCT) and its
 * eventId is remembered here, with the same window as a product's, so a redelivered line gets no
 * second verdict: not another REJECTED, and not a RESERVED (with a deduction) if the product appeared
 * in between, while Postgres keeps the first verdict. Stored, changelogged and restored like any
 * state; the product's first full record takes the ids over.
 */
export interface UnknownProductState {
  product: null;
  appliedEventIds: string[];
}

/** What the processor stores per productId. */
export type KeyState = ProductState | UnknownProductState;

export function isKnownProduct(state: KeyState | undefined): state is ProductState {
  return state !== undefined && state.product !== null;
}

export interface InventoryRulesConfig {
  /** LOW_STOCK when 0 < inventory <= this after a change (one rule for every path, F-FL-2). */
  lowStockThreshold: number;
  /** LOW_STOCK is CRITICAL at or below this, WARNING above. */
  criticalStockThreshold: number;
  /** PRICE_DROP when the price falls by at least this many percent. */
  priceDropPercent: number;
  /** Quiet period after which STALE_INVENTORY fires (processing time). */
  staleAfterMs: number;
  /** How many applied eventIds each product remembers (see ProductState.appliedEventIds). */
  dedupWindowEvents: number;
}

export const DEFAULT_RULES_CONFIG: InventoryRulesConfig = {
  lowStockThreshold: 10,
  criticalStockThreshold: 5,
  priceDropPercent: 10,
  staleAfterMs: 3_600_000,
  dedupWindowEvents: 5_000,
};

/** Where a rule's output goes (DESIGN §3): the runtime maps each kind to its topic(s). */
export type RuleOutput =
  | { kind: 'product'; product: VersionedProduct }
  | { kind: 'inventory-event'; event: InventoryEvent }
  | { kind: 'alert'; alert: AlertEvent }
  | { kind: 'order-status'; status: OrderItemStatus };

export interface RuleResult<S extends KeyState = KeyState> {
  /** The new state (undefined: the key still has no state). */
  state: S | undefined;
  outputs: RuleOutput[];
  /** Set when the input is refused as poison (it goes to dead-letters; state is unchanged). */
  poison?: string;
}

/**
 * A memo of each appliedEventIds array as a Set, so the duplicate check is O(1) instead of a scan of
 * up to `dedupWindowEvents` ids per order. It is invisible to callers: arrays stay immutable, and a
 * Set moves to the array that supersedes its own (an older array simply rebuilds its Set if used).
 */
const membership = new WeakMap<readonly string[], Set<string>>();

export function hasAppliedEventId(ids: readonly string[], eventId: string): boolean {
  let set = membership.get(ids);
  if (!set) {
    set = new Set(ids);
    membership.set(ids, set);
  }
  return set.has(eventId);
}

/** Remembers an eventId, dropping the oldest beyond the window. */
export function rememberEventId(ids: readonly string[], eventId: string, window: number): string[] {
  const drop = Math.max(0, ids.length + 1 - window);
  const next = drop > 0 ? [...ids.slice(drop), eventId] : [...ids, eventId];
  const set = membership.get(ids);
  if (set) {
    membership.delete(ids);
    for (let i = 0; i < drop; i++) set.delete(ids[i]!);
    set.add(eventId);
    membership.set(next, set);
  }
  return next;
}

/** Money compared in cents: prices are exact two-decimal values (contracts MoneySchema). */
export function cents(price: number): number {
  return Math.round(price * 100);
}

export function formatMoney(price: number): string {
  return `$${(cents(price) / 100).toFixed(2)}`;
}

/**
 * How a product update lands in the cached catalog. Versions (the processor's per-product sequence)
 * decide: an older record never overwrites a newer one, whichever path (REST, snapshot, push) brought it.
 * The original appended the 30 s sync message as a phantom product (F-FE-3); here a snapshot REPLACES
 * the list and a push merges one product by productId.
 */
import type { AlertEvent, Product } from '@kartshoppe/contracts';
import type { StockPoint } from './cache-keys';

export const MAX_STOCK_POINTS = 120;
export const MAX_ALERTS = 200;

function isNewer(incoming: Product, existing: Product | undefined): boolean {
  if (!existing) return true;
  if (incoming.version === undefined || existing.version === undefined) return true;
  return incoming.version >= existing.version;
}

export function mergeProduct(products: Product[] | undefined, incoming: Product): Product[] {
  const list = products ?? [];
  const i = list.findIndex((p) => p.productId === incoming.productId);
  if (i === -1) return [...list, incoming];
  if (!isNewer(incoming, list[i])) return list;
  const next = list.slice();
  next[i] = incoming;
  return next;
}

/** A full snapshot replaces the list, but keeps a cached product whose version is newer than the snapshot's. */
export function applySnapshot(products: Product[] | undefined, snapshot: Product[]): Product[] {
  const current = new Map((products ?? []).map((p) => [p.productId, p]));
  return snapshot.map((p) => {
    const existing = current.get(p.productId);
    return existing && !isNewer(p, existing) ? existing : p;
  });
}

/** Adds a point when the inventory changed (or on the first point); keeps the last MAX_STOCK_POINTS. */
export function appendStockPoint(history: StockPoint[] | undefined, point: StockPoint): StockPoint[] {
  const list = history ?? [];
  const last = list[list.length - 1];
  if (last && last.inventory === point.inventory) return list;
  const next = [...list, point];
  return next.length > MAX_STOCK_POINTS ? next.slice(next.length - MAX_STOCK_POINTS) : next;
}

/** Newest first, one entry per alertId (redelivered alerts are not shown twice). */
export function prependAlert(alerts: AlertEvent[] | undefined, alert: AlertEvent): AlertEvent[] {
  const list = alerts ?? [];
  if (list.some((a) => a.alertId === alert.alertId)) return list;
  return [alert, ...list].slice(0, MAX_ALERTS);
}

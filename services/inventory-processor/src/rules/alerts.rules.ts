import { alertId, type AlertEvent } from '@kartshoppe/contracts';
import { cents, formatMoney, type InventoryRulesConfig, type VersionedProduct } from './inventory-state';

/**
 * Stock alerts after an inventory change, one rule for every path (the original used `< 10` on the
 * product path and `<= 10` on the order path, and repeated OUT_OF_STOCK for an already-empty product:
 * F-FL-2). `previousInventory` is null for a product that did not exist before.
 */
export function stockAlerts(
  previousInventory: number | null,
  product: VersionedProduct,
  config: InventoryRulesConfig,
  nowMs: number,
): AlertEvent[] {
  const inv = product.inventory;
  if (inv === previousInventory) return [];
  if (inv === 0) {
    // Only on the transition to 0: an order rejected for an empty product changes nothing.
    return [alert(product, 'OUT_OF_STOCK', 'CRITICAL', `${product.name} is out of stock`, nowMs)];
  }
  if (inv <= config.lowStockThreshold) {
    const severity = inv <= config.criticalStockThreshold ? 'CRITICAL' : 'WARNING';
    return [alert(product, 'LOW_STOCK', severity, `Only ${inv} left of ${product.name}`, nowMs)];
  }
  return [];
}

/** PRICE_DROP when the price falls by >= priceDropPercent; never divides by a previous price of 0 (F-FL-7). */
export function priceAlerts(
  previousPrice: number,
  product: VersionedProduct,
  config: InventoryRulesConfig,
  nowMs: number,
): AlertEvent[] {
  const before = cents(previousPrice);
  const after = cents(product.price);
  if (before <= 0 || after >= before) return [];
  const dropPercent = ((before - after) / before) * 100;
  if (dropPercent + 1e-9 < config.priceDropPercent) return [];
  const message = `${product.name} dropped ${dropPercent.toFixed(1)}% from ${formatMoney(previousPrice)} to ${formatMoney(product.price)}`;
  return [alert(product, 'PRICE_DROP', 'INFO', message, nowMs)];
}

export function alert(
  product: VersionedProduct,
  alertType: AlertEvent['alertType'],
  severity: AlertEvent['severity'],
  message: string,
  nowMs: number,
): AlertEvent {
  return {
    alertId: alertId(product.productId, product.version, alertType),
    alertType,
    productId: product.productId,
    productName: product.name,
    message,
    severity,
    currentInventory: product.inventory,
    timestamp: nowMs,
  };
}

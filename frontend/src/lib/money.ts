/**
 * Totals the way the checkout API computes them (tax 8 %, flat shipping 5.99), in integer cents so the
 * page never shows a float total like 6161.9676. The original promised free shipping over $50 while
 * the server always charged 5.99 (F-API-5); the page shows what the server will charge.
 */
export const TAX_BASIS_POINTS = 800; // 8.00 %
export const SHIPPING_CENTS = 599;

export interface PricedLine {
  price: number;
  quantity: number;
}

export interface Totals {
  itemCount: number;
  subtotal: number;
  tax: number;
  shipping: number;
  total: number;
}

export const toCents = (amount: number): number => Math.round(amount * 100);
const fromCents = (cents: number): number => cents / 100;

export function cartTotals(lines: readonly PricedLine[]): Totals {
  const itemCount = lines.reduce((n, l) => n + l.quantity, 0);
  const subtotalCents = lines.reduce((sum, l) => sum + toCents(l.price) * l.quantity, 0);
  // Half-up in integers, exactly as services/checkout-api's order-totals rule.
  const taxCents = Math.floor((subtotalCents * TAX_BASIS_POINTS + 5_000) / 10_000);
  const shippingCents = itemCount > 0 ? SHIPPING_CENTS : 0;
  return {
    itemCount,
    subtotal: fromCents(subtotalCents),
    tax: fromCents(taxCents),
    shipping: fromCents(shippingCents),
    total: fromCents(subtotalCents + taxCents + shippingCents),
  };
}

const formatter = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
export function formatMoney(amount: number): string {
  return formatter.format(amount);
}

/**
 * Order totals in exact integer cents (the original summed doubles and stored 6161.9676, DESIGN §2).
 * Tax is 8 % rounded half-up to the cent; shipping is always 5.99, as in the original.
 */
export const TAX_BASIS_POINTS = 800; // 8.00 %
export const SHIPPING_CENTS = 599;

/** A price (JSON number with at most two decimals) as integer cents; throws on a fractional cent. */
export function toCents(amount: number): number {
  const cents = Math.round(amount * 100);
  if (!Number.isFinite(amount) || Math.abs(cents - amount * 100) > 1e-6) {
    throw new RangeError(`amount ${amount} is not a whole number of cents`);
  }
  return cents;
}

export function fromCents(cents: number): number {
  return cents / 100;
}

/** "5699.97" for NUMERIC columns: built from integers, never from a float's toString. */
export function centsToDecimal(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Half-up rounding of subtotal × rate, in integers only (no float on the way). */
export function taxCents(subtotalCents: number, basisPoints = TAX_BASIS_POINTS): number {
  return Math.floor((subtotalCents * basisPoints + 5_000) / 10_000);
}

export interface PricedLine {
  unitPriceCents: number;
  quantity: number;
}

export interface OrderTotals {
  lineTotalsCents: number[];
  subtotalCents: number;
  taxCents: number;
  shippingCents: number;
  totalCents: number;
}

export function orderTotals(lines: readonly PricedLine[]): OrderTotals {
  const lineTotalsCents = lines.map((l) => l.unitPriceCents * l.quantity);
  const subtotalCents = lineTotalsCents.reduce((a, b) => a + b, 0);
  const tax = taxCents(subtotalCents);
  return {
    lineTotalsCents,
    subtotalCents,
    taxCents: tax,
    shippingCents: SHIPPING_CENTS,
    totalCents: subtotalCents + tax + SHIPPING_CENTS,
  };
}

import { orderTotals } from '../../../services/checkout-api/src/orders/order-totals.rules';
import { cartTotals, toCents } from './money';

describe('cartTotals (the totals the server will charge, F-API-5)', () => {
  it.each([
    { lines: [], total: 0, shipping: 0 },
    { lines: [{ price: 10, quantity: 1 }], total: 16.79, shipping: 5.99 },
    // over $50: the original promised free shipping, the server charged 5.99 anyway
    { lines: [{ price: 60, quantity: 1 }], total: 70.79, shipping: 5.99 },
    { lines: [{ price: 1899.99, quantity: 3 }], total: 6161.96, shipping: 5.99 }, // the original leaked 6161.9676
  ])('$lines → total $total', ({ lines, total, shipping }) => {
    const t = cartTotals(lines);
    expect(t.total).toBe(total);
    expect(t.shipping).toBe(shipping);
  });

  it('agrees with the checkout API’s own rule for every non-empty cart', () => {
    let seed = 42;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 500; i++) {
      const lines = Array.from({ length: 1 + Math.floor(rnd() * 5) }, () => ({
        price: Math.floor(rnd() * 500_00) / 100,
        quantity: 1 + Math.floor(rnd() * 9),
      }));
      const server = orderTotals(
        lines.map((l) => ({ unitPriceCents: toCents(l.price), quantity: l.quantity })),
      );
      const client = cartTotals(lines);
      expect(toCents(client.subtotal)).toBe(server.subtotalCents);
      expect(toCents(client.tax)).toBe(server.taxCents);
      expect(toCents(client.total)).toBe(server.totalCents);
    }
  });
});

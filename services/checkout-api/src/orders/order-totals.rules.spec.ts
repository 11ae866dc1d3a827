import { centsToDecimal, orderTotals, taxCents, toCents } from './order-totals.rules';

describe('order totals in exact cents', () => {
  // The reference (ORIGINAL.md §1.2, §14) quotes the original's float total as 6161.9676 and its stored
  // total as 6161.97, but 5699.97 + 455.9976 + 5.99 = 6161.9576: the quoted figure is off by a cent.
  // Rounding the exact sum or summing the rounded parts both give 6161.96, so the total always equals
  // the lines the customer sees (5699.97 + 456.00 + 5.99).
  it('F-API-3: 3 × 1899.99 → 5699.97 + 456.00 + 5.99 = 6161.96 (exact sum 6161.9576)', () => {
    const t = orderTotals([{ unitPriceCents: toCents(1899.99), quantity: 3 }]);
    expect(t).toEqual({
      lineTotalsCents: [569997],
      subtotalCents: 569997,
      taxCents: 45600,
      shippingCents: 599,
      totalCents: 616196,
    });
    expect(centsToDecimal(t.totalCents)).toBe('6161.96');
  });

  it.each([
    // subtotal cents, tax cents (8 %, half-up)
    [0, 0],
    [1, 0], // 0.08 ¢
    [6, 0], // 0.48 ¢
    [7, 1], // 0.56 ¢
    [1250, 100],
    [1256, 100], // 100.48
    [1257, 101], // 100.56
    [625, 50], // exactly half a cent? 625*0.08 = 50.00
    [1_000_000, 80_000],
    [18_75, 150], // 150.00
    [31_25, 250],
    [6_1875, 4950],
  ])('tax of %i cents is %i cents', (subtotal, tax) => {
    expect(taxCents(subtotal)).toBe(tax);
  });

  it('rounds exactly half a cent up', () => {
    // 0.5 ¢ of tax arises from a subtotal of 6.25 ¢ — impossible; use a 50 bp rate: 100 ¢ × 0.5 % = 0.5 ¢
    expect(taxCents(100, 50)).toBe(1);
    expect(taxCents(99, 50)).toBe(0);
  });

  it.each([
    [[[19.99, 1]], '19.99', '1.60', '27.58'],
    [
      [
        [0.1, 3],
        [0.2, 1],
      ],
      '0.50',
      '0.04',
      '6.53',
    ],
    [
      [
        [29.99, 2],
        [49.5, 1],
      ],
      '109.48',
      '8.76',
      '124.23',
    ],
    [[[999999.99, 1]], '999999.99', '80000.00', '1080005.98'],
  ] as [number[][], string, string, string][])(
    'lines %j → subtotal %s tax %s total %s',
    (lines, sub, tax, total) => {
      const t = orderTotals(lines.map(([p, q]) => ({ unitPriceCents: toCents(p), quantity: q })));
      expect([
        centsToDecimal(t.subtotalCents),
        centsToDecimal(t.taxCents),
        centsToDecimal(t.totalCents),
      ]).toEqual([sub, tax, total]);
    },
  );

  it.each([[0.001], [1.005], [NaN], [Infinity]])('toCents refuses %p', (v) => {
    expect(() => toCents(v)).toThrow(RangeError);
  });

  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [599, '5.99'],
    [-120, '-1.20'],
  ])('centsToDecimal(%i) = %s', (c, s) => expect(centsToDecimal(c)).toBe(s));
});

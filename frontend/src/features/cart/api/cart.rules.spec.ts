import { cart } from '../../../test-support/factories';
import { clampQuantity, lineQuantity, quantityAfterAdd } from './cart.rules';

describe('cart rules', () => {
  const c = cart([{ productId: 'A', price: 5, quantity: 2 }]);

  it.each([
    ['new line', undefined, 'A', 1, 10, 1],
    ['adds to an existing line (add SETS the quantity, so send the sum)', c, 'A', 3, 10, 5],
    ['capped by stock', c, 'A', 30, 10, 10],
    ['nothing when the line already holds all stock', c, 'A', 1, 2, null],
    ['nothing when out of stock', undefined, 'B', 1, 0, null],
    ['fractions and negatives do not add', c, 'A', -3, 10, null],
  ] as const)('%s', (_name, currentCart, id, add, stock, expected) => {
    expect(quantityAfterAdd(currentCart, id, add, stock)).toBe(expected);
  });

  it.each([
    [3, 10, 3],
    [11, 10, 10],
    [0, 10, 0],
    [-1, 10, 0],
    [2.7, undefined, 2],
    [Number.NaN, 10, 0],
    [5000, undefined, 1000],
  ])('clampQuantity(%p, stock %p) = %p', (requested, stock, expected) => {
    expect(clampQuantity(requested, stock)).toBe(expected);
  });

  it('reads a line quantity', () => {
    expect(lineQuantity(c, 'A')).toBe(2);
    expect(lineQuantity(c, 'Z')).toBe(0);
    expect(lineQuantity(undefined, 'A')).toBe(0);
  });
});

import type { Product } from '@kartshoppe/contracts';
import { cartView } from './cart.rules';

const laptop = { productId: 'P1', name: 'Laptop', price: 1899.99, imageUrl: 'img' } as Product;

describe('cartView', () => {
  it.each([
    ['empty cart', [], { items: [], totalAmount: 0, itemCount: 0, updatedAt: 500 }],
    [
      'priced from the read model, exact cents',
      [{ productId: 'P1', quantity: 3, updatedAtMs: 100 }],
      {
        items: [
          {
            productId: 'P1',
            productName: 'Laptop',
            price: 1899.99,
            quantity: 3,
            imageUrl: 'img',
            subtotal: 5699.97,
          },
        ],
        totalAmount: 5699.97,
        itemCount: 3,
        updatedAt: 100,
      },
    ],
    [
      'unknown product shows its id at price 0',
      [{ productId: 'X', quantity: 2, updatedAtMs: 100 }],
      {
        items: [{ productId: 'X', productName: 'X', price: 0, quantity: 2, imageUrl: '', subtotal: 0 }],
        totalAmount: 0,
        itemCount: 2,
        updatedAt: 100,
      },
    ],
  ])('%s', (_n, lines, expected) => {
    expect(cartView('s1', lines, (id) => (id === 'P1' ? laptop : undefined), 500)).toEqual({
      sessionId: 's1',
      ...expected,
    });
  });
});

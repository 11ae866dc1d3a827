import { product } from '../../../test-support/factories';
import { categoryCounts, filterProducts, stockLevel } from './catalog.rules';

describe('stockLevel (same threshold as the processor: 0 < n <= 10 is low)', () => {
  it.each([
    [0, 'out', 'Out of stock'],
    [1, 'low', 'Only 1 left!'],
    [10, 'low', 'Only 10 left!'],
    [11, 'in', '11 in stock'],
  ] as const)('%i → %s', (n, kind, label) => {
    expect(stockLevel(n)).toEqual({ kind, label });
  });
});

describe('filterProducts', () => {
  const products = [
    product({ productId: 'A', name: 'Trail Shoes', category: 'Sports', brand: 'Stride', tags: ['running'] }),
    product({
      productId: 'B',
      name: 'Desk Lamp',
      description: 'LED light',
      category: 'Home',
      brand: 'Lumo',
      tags: [],
    }),
    product({
      productId: 'C',
      name: 'Yoga Mat',
      description: 'Non-slip mat',
      category: 'Sports',
      brand: 'Zen',
      tags: ['fitness'],
    }),
  ];
  it.each([
    [{}, ['A', 'B', 'C']],
    [{ category: 'Sports' }, ['A', 'C']],
    [{ search: 'lamp' }, ['B']],
    [{ search: 'led' }, ['B']], // description
    [{ search: 'ZEN' }, ['C']], // brand, case-insensitive
    [{ search: 'run' }, ['A']], // tags
    [{ search: '  ', category: 'Home' }, ['B']],
    [{ search: 'lamp', category: 'Sports' }, []],
  ])('%p → %p', (filter, ids) => {
    expect(filterProducts(products, filter).map((p) => p.productId)).toEqual(ids);
  });

  it('counts categories', () => {
    expect(categoryCounts(products)).toEqual([
      { category: 'Home', count: 1 },
      { category: 'Sports', count: 2 },
    ]);
  });
});

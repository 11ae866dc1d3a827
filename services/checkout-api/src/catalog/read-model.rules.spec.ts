import type { InventoryEvent, Product } from '@kartshoppe/contracts';
import { mergeFullProduct, mergeInventoryEvent, queryProducts } from './read-model.rules';

const p = (over: Partial<Product> = {}): Product => ({
  productId: 'PROD_0001',
  name: 'Laptop',
  description: 'fast',
  category: 'Electronics',
  brand: 'B',
  price: 100,
  inventory: 10,
  imageUrl: '',
  tags: ['portable'],
  rating: 4,
  reviewCount: 1,
  version: 5,
  ...over,
});
const ev = (over: Partial<InventoryEvent> = {}): InventoryEvent => ({
  productId: 'PROD_0001',
  productName: 'Laptop',
  eventType: 'INVENTORY_DECREASED',
  previousInventory: 10,
  currentInventory: 7,
  previousPrice: 100,
  currentPrice: 100,
  changeReason: 'order',
  timestamp: 1000,
  version: 6,
  ...over,
});

describe('mergeFullProduct (F-RM-2)', () => {
  it.each([
    ['unknown product → applied', undefined, p({ version: 1 }), 'applied'],
    ['newer version → applied', p({ version: 5 }), p({ version: 6 }), 'applied'],
    ['same version → stale', p({ version: 5 }), p({ version: 5, inventory: 1 }), 'stale'],
    ['older snapshot after a deduction → stale', p({ version: 7 }), p({ version: 3 }), 'stale'],
    ['unversioned incoming → applied', p({ version: 7 }), p({ version: undefined }), 'applied'],
    ['versioned over unversioned → applied', p({ version: undefined }), p({ version: 0 }), 'applied'],
  ])('%s', (_n, cur, inc, kind) => expect(mergeFullProduct(cur, inc).kind).toBe(kind));
});

describe('mergeInventoryEvent (F-RM-1, F-RM-2)', () => {
  it('unknown product is dropped, never a half product', () => {
    expect(mergeInventoryEvent(undefined, ev())).toEqual({ kind: 'unknown-product' });
  });
  it.each([
    ['older version', 4, 'stale'],
    ['same version', 5, 'stale'],
    ['newer version', 6, 'applied'],
  ])('%s → %s', (_n, version, kind) => expect(mergeInventoryEvent(p(), ev({ version })).kind).toBe(kind));

  it('merges inventory and price only, keeping name/description/tags', () => {
    const out = mergeInventoryEvent(
      p(),
      ev({ currentInventory: 3, currentPrice: 89.5, version: 9, timestamp: 77 }),
    );
    expect(out).toEqual({
      kind: 'applied',
      product: { ...p(), inventory: 3, price: 89.5, version: 9, updatedAt: 77 },
    });
  });

  it('F-RM-1: a STALE_INVENTORY event keeps the price it carries (never 0)', () => {
    const out = mergeInventoryEvent(
      p(),
      ev({ eventType: 'STALE_INVENTORY', currentPrice: 100, currentInventory: 10 }),
    );
    expect(out.kind === 'applied' && out.product.price).toBe(100);
  });
});

describe('queryProducts (F-API-7)', () => {
  const items = [
    p({ productId: 'A', name: 'Laptop', category: 'Electronics', tags: ['portable'] }),
    p({ productId: 'B', name: 'Shirt', description: 'cotton', category: 'Fashion', tags: ['summer'] }),
    p({ productId: 'C', name: 'Phone', category: 'electronics', tags: ['portable', '5g'] }),
  ];
  it.each([
    [{ limit: 20 }, ['A', 'B', 'C']],
    [{ limit: 2 }, ['A', 'B']],
    [{ category: 'ELECTRONICS', limit: 20 }, ['A', 'C']],
    [{ search: 'portable', limit: 20 }, ['A', 'C']], // tag-only match kept
    [{ search: 'COTTON', limit: 20 }, ['B']],
    [{ search: 'shirt', category: 'Electronics', limit: 20 }, []],
    [{ search: 'summer', category: 'fashion', limit: 20 }, ['B']],
    [{ search: '  ', limit: 20 }, ['A', 'B', 'C']],
  ])('%j → %j', (q, ids) => expect(queryProducts(items, q).map((x) => x.productId)).toEqual(ids));
});

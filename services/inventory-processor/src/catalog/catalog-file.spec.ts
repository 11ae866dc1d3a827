import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CatalogFileSchema } from '@kartshoppe/contracts';

const file = join(__dirname, '../../../../data/initial-products.json');

describe("data/initial-products.json (the project's own bootstrap catalog)", () => {
  const catalog = CatalogFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));

  it('has >= 64 products in the 8 workshop categories and >= 12 brands', () => {
    expect(catalog.length).toBeGreaterThanOrEqual(64);
    expect(new Set(catalog.map((p) => p.category))).toEqual(
      new Set([
        'Electronics',
        'Fashion',
        'Home & Garden',
        'Sports',
        'Books',
        'Toys',
        'Beauty',
        'Food & Grocery',
      ]),
    );
    expect(new Set(catalog.map((p) => p.brand)).size).toBeGreaterThanOrEqual(12);
  });

  it('has unique PROD_nnnn ids, picsum images and 2-decimal prices', () => {
    expect(new Set(catalog.map((p) => p.productId)).size).toBe(catalog.length);
    for (const p of catalog) {
      expect(p.productId).toMatch(/^PROD_\d{4}$/);
      expect(p.imageUrl).toBe(`https://picsum.photos/seed/${p.productId}/400/300`);
      expect(Math.round(p.price * 100) / 100).toBe(p.price);
    }
  });

  it('starts PROD_0001 as the workshop laptop and a few products at low stock for the demo', () => {
    expect(catalog[0]).toMatchObject({
      productId: 'PROD_0001',
      name: 'FutureTech UltraBook Pro 15',
      price: 1899.99,
      inventory: 10,
      category: 'Electronics',
      brand: 'FutureTech',
    });
    expect(
      catalog
        .filter((p) => p.inventory < 10)
        .map((p) => p.inventory)
        .sort(),
    ).toEqual([7, 8]);
  });
});

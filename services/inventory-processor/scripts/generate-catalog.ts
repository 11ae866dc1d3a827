/**
 * Generates data/initial-products.json, the project's own bootstrap catalog (DESIGN §5): 8 categories
 * x 8 products, deterministic (seeded), so re-running it yields the same file.
 *
 *   node scripts/run-ts.js services/inventory-processor/scripts/generate-catalog.ts [outFile]
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CatalogFileSchema, type Product } from '@kartshoppe/contracts';

interface CategorySpec {
  category: string;
  brands: string[];
  items: string[];
  tags: string[];
  priceRange: [number, number];
}

const CATEGORIES: CategorySpec[] = [
  {
    category: 'Electronics',
    brands: ['FutureTech', 'VoltWave'],
    items: [
      'UltraBook Pro 15',
      'Noise-Cancelling Headphones',
      'Smart Watch S2',
      '4K Action Camera',
      'Wireless Charging Pad',
      'Mechanical Keyboard',
      'Portable SSD 1TB',
      'Bluetooth Speaker Mini',
    ],
    tags: ['electronics', 'gadget', 'wireless', 'tech', 'portable', 'premium'],
    priceRange: [24.99, 1499.99],
  },
  {
    category: 'Fashion',
    brands: ['Urban Thread', 'Nordlys'],
    items: [
      'Merino Crew Sweater',
      'Selvedge Denim Jeans',
      'Leather Chelsea Boots',
      'Linen Summer Shirt',
      'Quilted Puffer Jacket',
      'Canvas Tote Bag',
      'Wool Beanie',
      'Classic Trench Coat',
    ],
    tags: ['fashion', 'apparel', 'casual', 'sustainable', 'winter', 'classic'],
    priceRange: [19.99, 329.99],
  },
  {
    category: 'Home & Garden',
    brands: ['HearthLine', 'GreenNest'],
    items: [
      'Cast Iron Dutch Oven',
      'Bamboo Cutting Board Set',
      'Ceramic Plant Pot Trio',
      'Smart LED Bulb 4-Pack',
      'Cordless Leaf Blower',
      'Linen Duvet Cover',
      'Raised Garden Bed Kit',
      'Pour-Over Coffee Set',
    ],
    tags: ['home', 'garden', 'kitchen', 'decor', 'eco', 'outdoor'],
    priceRange: [14.99, 249.99],
  },
  {
    category: 'Sports',
    brands: ['PeakForm', 'Stride Labs'],
    items: [
      'Carbon Trail Running Shoes',
      'Adjustable Dumbbell Pair',
      'Yoga Mat Pro 6mm',
      'Insulated Water Bottle',
      'Cycling Helmet Aero',
      'Resistance Band Set',
      'Ultralight Tent 2P',
      'Tennis Racket Tour',
    ],
    tags: ['sports', 'fitness', 'outdoor', 'training', 'running', 'gear'],
    priceRange: [12.99, 399.99],
  },
  {
    category: 'Books',
    brands: ['Lanternfish Press', 'Quarry Books'],
    items: [
      'Streams in Practice',
      'The Patient Gardener',
      'Midnight at the Archive',
      'Cooking with Fire',
      'A Short History of Maps',
      'Distributed Systems Field Guide',
      'The Lighthouse Keeper',
      'Mountain Trails Atlas',
    ],
    tags: ['books', 'reading', 'hardcover', 'bestseller', 'nonfiction', 'fiction'],
    priceRange: [9.99, 59.99],
  },
  {
    category: 'Toys',
    brands: ['BrickJoy', 'Wonderkin'],
    items: [
      'Space Station Building Set',
      'Wooden Train Starter Kit',
      'Plush Red Panda',
      'Remote Control Rover',
      'Marble Run Deluxe',
      'Magnetic Tiles 60pc',
      'Junior Science Lab',
      'Family Strategy Board Game',
    ],
    tags: ['toys', 'kids', 'educational', 'gift', 'family', 'creative'],
    priceRange: [14.99, 149.99],
  },
  {
    category: 'Beauty',
    brands: ['Lumina Botanics', 'Aqua Veil'],
    items: [
      'Vitamin C Serum',
      'Hydrating Night Cream',
      'Mineral Sunscreen SPF 50',
      'Argan Hair Oil',
      'Clay Detox Mask',
      'Rose Water Toner',
      'Bamboo Brush Set',
      'Shea Body Butter',
    ],
    tags: ['beauty', 'skincare', 'natural', 'vegan', 'selfcare', 'organic'],
    priceRange: [8.99, 89.99],
  },
  {
    category: 'Food & Grocery',
    brands: ['Harvest Table', 'Copper Kettle'],
    items: [
      'Single-Origin Coffee Beans 1kg',
      'Cold-Pressed Olive Oil',
      'Wildflower Honey Jar',
      'Matcha Green Tea Tin',
      'Dark Chocolate Collection',
      'Artisan Pasta Trio',
      'Smoked Sea Salt',
      'Organic Granola Mix',
    ],
    tags: ['food', 'grocery', 'organic', 'gourmet', 'pantry', 'fairtrade'],
    priceRange: [4.99, 49.99],
  },
];

/** A small seeded PRNG (mulberry32) so the catalog is reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Inventory overrides for the low-stock demo (DESIGN §5: a few products start at or below 10). */
const FIXED_INVENTORY: Record<string, number> = { PROD_0001: 10, PROD_0003: 8, PROD_0029: 7 };

export function generateCatalog(): Product[] {
  const rnd = prng(20_251_101);
  const products: Product[] = [];
  let n = 0;
  for (const spec of CATEGORIES) {
    spec.items.forEach((item, i) => {
      n += 1;
      const productId = `PROD_${String(n).padStart(4, '0')}`;
      const brand = spec.brands[i % spec.brands.length]!;
      const [lo, hi] = spec.priceRange;
      const rawPrice = Math.floor(lo + rnd() * (hi - lo)) + 0.99;
      const price = productId === 'PROD_0001' ? 1899.99 : Math.round(rawPrice * 100) / 100;
      const tags = [...spec.tags].sort(() => rnd() - 0.5).slice(0, 4);
      products.push({
        productId,
        name: productId === 'PROD_0001' ? 'FutureTech UltraBook Pro 15' : `${brand} ${item}`,
        description: `${item} by ${brand}, from the KartShoppe ${spec.category} range.`,
        category: spec.category,
        brand,
        price,
        inventory: FIXED_INVENTORY[productId] ?? 20 + Math.floor(rnd() * 180),
        imageUrl: `https://picsum.photos/seed/${productId}/400/300`,
        tags,
        rating: Math.round((3.5 + rnd() * 1.5) * 10) / 10,
        reviewCount: 5 + Math.floor(rnd() * 900),
      });
    });
  }
  return CatalogFileSchema.parse(products);
}

if (process.argv[1] === __filename) {
  const out = resolve(process.argv[2] ?? 'data/initial-products.json');
  writeFileSync(out, `${JSON.stringify(generateCatalog(), null, 2)}\n`);
  console.log(`wrote ${out}`);
}

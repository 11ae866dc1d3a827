import { z } from 'zod';

const productIdSchema = z
  .string()
  .min(1, 'productId must not be empty')
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'productId may contain letters, digits and _ . : - only');

export const ProductIdSchema = productIdSchema;

/** Money as a JSON number with at most two decimals (prices are exact cents everywhere). */
export const MoneySchema = z
  .number()
  .finite()
  .nonnegative()
  .max(1_000_000)
  .refine((v) => Math.abs(Math.round(v * 100) - v * 100) < 1e-6, 'must have at most two decimals');

/**
 * A full product, as in the original's Product.java (field names kept so workshop filters work).
 * `version` is the processor's per-product sequence number: the read model applies a record only when
 * its version is newer, so `products` snapshots and `inventory-events` deltas can no longer overwrite
 * each other out of order (the original's F-RM-2).
 */
const productFields = z.object({
  productId: productIdSchema,
  name: z.string().trim().min(1, 'name must not be empty').max(200),
  description: z.string().max(2000),
  category: z.string().trim().min(1).max(100),
  brand: z.string().max(100),
  price: MoneySchema,
  inventory: z.number().int().nonnegative().max(1_000_000_000),
  imageUrl: z.string().max(2000),
  tags: z.array(z.string().max(100)).max(50),
  rating: z.number().min(0).max(5),
  reviewCount: z.number().int().nonnegative(),
  updatedAt: z.number().int().nonnegative().optional(),
  version: z.number().int().nonnegative().optional(),
});

export const ProductSchema = productFields.extend({
  description: productFields.shape.description.default(''),
  brand: productFields.shape.brand.default(''),
  imageUrl: productFields.shape.imageUrl.default(''),
  tags: productFields.shape.tags.default([]),
  rating: productFields.shape.rating.default(0),
  reviewCount: productFields.shape.reviewCount.default(0),
});
export type Product = z.infer<typeof ProductSchema>;

/**
 * What a workshop user may produce to `product-updates`: either a full product or a patch of a known
 * product (`{"productId":"PROD_0001","inventory":10}`). The original crashed on partial JSON (F-FL-4,
 * F-U-6); here a patch of a known product is merged and a patch of an unknown one is dead-lettered.
 */
export const ProductPatchSchema = productFields.partial().extend({ productId: productIdSchema });
export type ProductPatch = z.infer<typeof ProductPatchSchema>;

/** An array of products or patches in one `product-updates` record, as the original's parser accepted. */
export const ProductPatchListSchema = z.array(ProductPatchSchema).min(1).max(1000);

/** `product-updates` accepts one product (or patch) or an array of them, like the original's parser. */
export const ProductUpdateValueSchema = z.union([ProductPatchSchema, ProductPatchListSchema]);

/**
 * The schema for one `product-updates` value, chosen by its first JSON character: validating against
 * the union would reject a bad record with a bare "Invalid input", while the matching schema names the
 * wrong field (`inventory: expected number`) in the dead letter.
 */
export function productUpdateSchemaFor(
  value: string | Buffer | null,
): typeof ProductPatchSchema | typeof ProductPatchListSchema {
  if (value !== null) {
    for (let i = 0; i < value.length; i++) {
      const c = typeof value === 'string' ? value.charCodeAt(i) : value[i]!;
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) continue; // JSON whitespace
      if (c === 0x5b) return ProductPatchListSchema; // [
      break;
    }
  }
  return ProductPatchSchema;
}

/** The catalog file (data/initial-products.json): an array of full products. */
export const CatalogFileSchema = z.array(ProductSchema).min(1);

import { z } from 'zod';
import { MAX_LINE_QUANTITY, OrderIdSchema } from './order-item-event';
import { ORDER_LINE_STATUSES, ORDER_STATUSES, PUBLISH_MODES, REJECTION_REASONS } from './order-status';
import { ProductIdSchema, ProductSchema } from './product';

/** Session ids are chosen by the browser (`session_<ms>_<rand>` in the original). */
export const SessionIdSchema = z
  .string()
  .min(1, 'sessionId is missing')
  .max(128)
  .regex(/^[A-Za-z0-9_.-]+$/, 'sessionId may contain letters, digits and _ . - only');

export const MAX_CART_LINES = 100;

// ---- cart -------------------------------------------------------------------------------------------

/** `POST /api/ecommerce/cart/:sessionId/add`: sets the line's quantity (the original's SET semantics). */
export const CartAddRequestSchema = z
  .object({
    productId: ProductIdSchema,
    quantity: z.number().int().min(1).max(MAX_LINE_QUANTITY),
    userId: z.string().max(128).optional(),
  })
  .strict();
export type CartAddRequest = z.infer<typeof CartAddRequestSchema>;

/** `PUT /api/ecommerce/cart/:sessionId/items/:productId`: quantity 0 removes the line. */
export const CartUpdateRequestSchema = z
  .object({ quantity: z.number().int().min(0).max(MAX_LINE_QUANTITY) })
  .strict();
export type CartUpdateRequest = z.infer<typeof CartUpdateRequestSchema>;

export const CartLineSchema = z.object({
  productId: ProductIdSchema,
  productName: z.string(),
  price: z.number(),
  quantity: z.number().int().positive(),
  imageUrl: z.string(),
  subtotal: z.number(),
});
export type CartLine = z.infer<typeof CartLineSchema>;

export const CartSchema = z.object({
  sessionId: SessionIdSchema,
  items: z.array(CartLineSchema),
  totalAmount: z.number(),
  itemCount: z.number().int().nonnegative(),
  updatedAt: z.number().int(),
});
export type Cart = z.infer<typeof CartSchema>;

// ---- checkout and orders ----------------------------------------------------------------------------

export const PAYMENT_METHODS = ['credit_card', 'debit_card', 'paypal', 'bank_transfer'] as const;

export const ShippingAddressSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    street: z.string().trim().min(1).max(200),
    city: z.string().trim().min(1).max(100),
    state: z.string().trim().max(100).default(''),
    zipCode: z.string().trim().min(1).max(20),
    country: z.string().trim().min(2).max(60),
  })
  .strict();
export type ShippingAddress = z.infer<typeof ShippingAddressSchema>;

export const CheckoutRequestSchema = z
  .object({
    sessionId: SessionIdSchema,
    userId: z.string().min(1).max(128).optional(),
    shippingAddress: ShippingAddressSchema.optional(),
    paymentMethod: z.enum(PAYMENT_METHODS).default('credit_card'),
    useCdc: z.boolean().default(false),
    /** Lets a client retry a checkout without creating a second order (the original had none). */
    idempotencyKey: z.string().min(8).max(128).optional(),
  })
  .strict();
export type CheckoutRequest = z.infer<typeof CheckoutRequestSchema>;

export const OrderLineSchema = z.object({
  productId: ProductIdSchema,
  productName: z.string(),
  unitPrice: z.number(),
  quantity: z.number().int().positive(),
  lineTotal: z.number(),
  status: z.enum(ORDER_LINE_STATUSES),
  reason: z.enum(REJECTION_REASONS).nullable(),
});
export type OrderLine = z.infer<typeof OrderLineSchema>;

export const OrderSchema = z.object({
  orderId: OrderIdSchema,
  sessionId: SessionIdSchema,
  userId: z.string(),
  status: z.enum(ORDER_STATUSES),
  publishMode: z.enum(PUBLISH_MODES),
  /** false while a direct-mode order waits for Kafka (the background publisher retries it). */
  published: z.boolean(),
  items: z.array(OrderLineSchema),
  subtotal: z.number(),
  tax: z.number(),
  shipping: z.number(),
  totalAmount: z.number(),
  paymentMethod: z.enum(PAYMENT_METHODS),
  shippingAddress: ShippingAddressSchema.nullable(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type Order = z.infer<typeof OrderSchema>;

// ---- catalog ----------------------------------------------------------------------------------------

/** `GET /api/ecommerce/inventory/state`, as in the original. */
export const InventoryStateResponseSchema = z.object({
  products: z.array(ProductSchema),
  totalProducts: z.number().int().nonnegative(),
  timestamp: z.number().int(),
  categories: z.array(z.string()),
});
export type InventoryStateResponse = z.infer<typeof InventoryStateResponseSchema>;

/** Every error body: a message and, for validation errors, the fields that are wrong. */
export const ErrorResponseSchema = z.object({
  statusCode: z.number().int(),
  error: z.string(),
  message: z.string(),
  fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  dependency: z.string().optional(),
  correlationId: z.string().optional(),
});
export type ErrorResponse = z.infer<typeof ErrorResponseSchema>;

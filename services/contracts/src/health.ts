import { z } from 'zod';

export const COMPONENT_STATUSES = ['up', 'starting', 'degraded', 'down'] as const;
export type ComponentStatus = (typeof COMPONENT_STATUSES)[number];

/** `GET /health` of the inventory processor (port 8091). */
export const ProcessorHealthSchema = z.object({
  component: z.literal('inventory-processor'),
  status: z.enum(COMPONENT_STATUSES),
  instanceId: z.string(),
  /** 'restoring' while state is rebuilt from the changelog after an assignment. */
  phase: z.enum(['starting', 'restoring', 'running', 'stopping']),
  partitions: z.array(
    z.object({
      partition: z.number().int(),
      lag: z.string(),
      restoring: z.boolean(),
      products: z.number().int().nonnegative(),
    }),
  ),
  timersPending: z.number().int().nonnegative(),
  deadLetters: z.number().int().nonnegative(),
  stateSizeBytes: z.number().int().nonnegative(),
});
export type ProcessorHealth = z.infer<typeof ProcessorHealthSchema>;

/** `GET /health` of the CDC worker (port 8092). */
export const CdcHealthSchema = z.object({
  component: z.literal('cdc-worker'),
  status: z.enum(COMPONENT_STATUSES),
  slotName: z.string(),
  connected: z.boolean(),
  lastAckedLsn: z.string().nullable(),
  slotLagBytes: z.number().int().nonnegative().nullable(),
  eventsPublished: z.number().int().nonnegative(),
});
export type CdcHealth = z.infer<typeof CdcHealthSchema>;

/** `GET /health` of the checkout API, and one row of the platform page. */
export const DependencyHealthSchema = z.object({
  name: z.string(),
  status: z.enum(COMPONENT_STATUSES),
  detail: z.string().optional(),
});

export const ApiHealthSchema = z.object({
  component: z.literal('checkout-api'),
  status: z.enum(COMPONENT_STATUSES),
  dependencies: z.array(DependencyHealthSchema),
  readModel: z.object({ products: z.number().int().nonnegative(), warm: z.boolean() }),
  unpublishedOrders: z.number().int().nonnegative(),
});
export type ApiHealth = z.infer<typeof ApiHealthSchema>;

/** `GET /api/platform/status`: every component as the Platform page shows it. */
export const PlatformStatusSchema = z.object({
  timestamp: z.number().int(),
  components: z.array(
    z.object({
      name: z.enum(['checkout-api', 'inventory-processor', 'cdc-worker', 'kafka', 'postgres']),
      status: z.enum(COMPONENT_STATUSES),
      url: z.string().optional(),
      detail: z.unknown().optional(),
    }),
  ),
});
export type PlatformStatus = z.infer<typeof PlatformStatusSchema>;

import { z } from 'zod';
import { ProductIdSchema } from './product';

export const ALERT_TYPES = ['LOW_STOCK', 'OUT_OF_STOCK', 'PRICE_DROP', 'STALE_INVENTORY'] as const;
export type AlertType = (typeof ALERT_TYPES)[number];
export const ALERT_SEVERITIES = ['INFO', 'WARNING', 'CRITICAL'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/**
 * One alert on `inventory-alerts`. `alertId` is stable (`productId:version:alertType`) so a consumer can
 * drop duplicates; the original's alerts had no id (F-FL-5).
 */
export const AlertEventSchema = z.object({
  alertId: z.string().min(1),
  alertType: z.enum(ALERT_TYPES),
  productId: ProductIdSchema,
  productName: z.string().min(1),
  message: z.string().min(1),
  severity: z.enum(ALERT_SEVERITIES),
  currentInventory: z.number().int().nonnegative(),
  timestamp: z.number().int().nonnegative(),
});
export type AlertEvent = z.infer<typeof AlertEventSchema>;

export function alertId(productId: string, version: number, alertType: AlertType): string {
  return `${productId}:${version}:${alertType}`;
}

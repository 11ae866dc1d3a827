import { z } from 'zod';

/** Debezium's op codes (Envelope.Operation): create, update, delete, read (snapshot). */
export const CDC_OPS = { create: 'c', update: 'u', delete: 'd', read: 'r' } as const;
export type CdcOp = (typeof CDC_OPS)[keyof typeof CDC_OPS];

/** Debezium's envelope field names, so users who know Debezium read our topics without a guide. */
export const CDC_ENVELOPE_FIELDS = {
  before: 'before',
  after: 'after',
  source: 'source',
  op: 'op',
  timestamp: 'ts_ms',
} as const;

/** A row image: column name -> value. Numeric columns are strings, so prices keep their exact value. */
export const CdcRowSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));
export type CdcRow = z.infer<typeof CdcRowSchema>;

export const CdcSourceSchema = z.object({
  connector: z.literal('kartshoppe-cdc-worker'),
  /** The commit LSN of the transaction, formatted `XXXXXXXX/XXXXXXXX`. */
  lsn: z.string().regex(/^[0-9A-F]+\/[0-9A-F]+$/),
  txId: z.number().int().nonnegative(),
  schema: z.string(),
  table: z.string(),
  ts_ms: z.number().int().nonnegative(),
});

export const CdcEnvelopeSchema = z.object({
  before: CdcRowSchema.nullable(),
  after: CdcRowSchema.nullable(),
  source: CdcSourceSchema,
  op: z.enum([CDC_OPS.create, CDC_OPS.update, CDC_OPS.delete, CDC_OPS.read]),
  ts_ms: z.number().int().nonnegative(),
});
export type CdcEnvelope = z.infer<typeof CdcEnvelopeSchema>;

/** Envelope topic of a captured table: `cdc.<schema>.<table>`. */
export function cdcTopicFor(schema: string, table: string): string {
  return `cdc.${schema}.${table}`;
}

import { z } from 'zod';

/** Topic inspection payloads (`/api/topics…`, the storefront's Topics page and `npm run topics`). */
export const TopicPartitionInfoSchema = z.object({
  partition: z.number().int().nonnegative(),
  /** Offsets as strings end to end (STYLE §11). */
  earliestOffset: z.string(),
  latestOffset: z.string(),
});

export const TopicSummarySchema = z.object({
  name: z.string(),
  partitions: z.array(TopicPartitionInfoSchema),
  messageCount: z.string(),
});
export type TopicSummary = z.infer<typeof TopicSummarySchema>;

export const TopicMessageSchema = z.object({
  topic: z.string(),
  partition: z.number().int().nonnegative(),
  offset: z.string(),
  timestamp: z.number().int(),
  key: z.string().nullable(),
  /** Parsed JSON when the value is JSON, else the raw string. */
  value: z.unknown(),
  headers: z.record(z.string(), z.string()),
});
export type TopicMessage = z.infer<typeof TopicMessageSchema>;

export const TOPIC_READ_FROM = ['earliest', 'latest', 'offset', 'timestamp'] as const;

export const TopicReadQuerySchema = z
  .object({
    topics: z.string().min(1), // comma separated
    from: z.enum(TOPIC_READ_FROM).default('latest'),
    offset: z.string().regex(/^\d+$/).optional(),
    timestampMs: z.coerce.number().int().nonnegative().optional(),
    partition: z.coerce.number().int().nonnegative().optional(),
    filter: z.string().max(500).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    /** Upper bound on records scanned by one request, so a filter cannot scan a topic forever. */
    maxScan: z.coerce.number().int().min(1).max(200_000).default(50_000),
  })
  .strict();
export type TopicReadQuery = z.infer<typeof TopicReadQuerySchema>;

export const TopicReadResponseSchema = z.object({
  messages: z.array(TopicMessageSchema),
  scanned: z.number().int().nonnegative(),
  truncated: z.boolean(),
});
export type TopicReadResponse = z.infer<typeof TopicReadResponseSchema>;

export const ProduceRequestSchema = z
  .object({
    key: z.string().max(1000).nullable().optional(),
    /** A JSON value is serialised; a string is sent as is. */
    value: z.unknown(),
    headers: z.record(z.string(), z.string()).optional(),
    partition: z.number().int().nonnegative().optional(),
  })
  .strict();
export type ProduceRequest = z.infer<typeof ProduceRequestSchema>;

export const ProduceResponseSchema = z.object({
  topic: z.string(),
  partition: z.number().int(),
  offset: z.string(),
});

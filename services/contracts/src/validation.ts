import type { z } from 'zod';

export interface FieldError {
  path: string;
  message: string;
}

/** zod issues as `{path, message}` pairs, so every boundary names the wrong field the same way. */
export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return { path: [path, ...issue.keys].filter(Boolean).join('.'), message: `unknown field` };
    }
    return { path: path || '(root)', message: issue.message };
  });
}

/** One line naming every wrong field, for logs and dead-letter headers. */
export function describeZodError(error: z.ZodError): string {
  return fieldErrors(error)
    .map((f) => `${f.path}: ${f.message}`)
    .join('; ');
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string; fields: FieldError[] };

/** Parses JSON text with a schema; never throws (consumers dead-letter instead of crashing). */
export function parseJsonWith<T>(schema: z.ZodType<T>, text: string | Buffer | null): ParseResult<T> {
  if (text === null) return { ok: false, error: 'value is null (tombstone)', fields: [] };
  let json: unknown;
  try {
    json = JSON.parse(typeof text === 'string' ? text : text.toString('utf8'));
  } catch (e) {
    return { ok: false, error: `malformed JSON: ${(e as Error).message}`, fields: [] };
  }
  const result = schema.safeParse(json);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    error: `schema violation: ${describeZodError(result.error)}`,
    fields: fieldErrors(result.error),
  };
}

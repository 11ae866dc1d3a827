import { fieldErrors, type FieldError } from '@kartshoppe/contracts';
import type { z } from 'zod';

/** 400 naming every wrong field. */
export class RequestValidationError extends Error {
  constructor(
    message: string,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
    this.name = 'RequestValidationError';
  }
}

/** 404 for an unknown id. */
export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** 403 for an operation this mode/token does not allow. */
export class ForbiddenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ForbiddenError';
  }
}

/** Parses a request part with a contract schema or throws a 400 naming the fields (`what` = body/query/params). */
export function parseRequest<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(input ?? (what === 'body' ? undefined : {}));
  if (result.success) return result.data;
  const fields = fieldErrors(result.error);
  const names = fields.map((f) => f.path).join(', ');
  throw new RequestValidationError(`invalid ${what}: ${names}`, fields);
}

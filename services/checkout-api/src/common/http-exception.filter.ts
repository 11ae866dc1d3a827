import { ArgumentsHost, Catch, HttpException, type ExceptionFilter } from '@nestjs/common';
import type { ErrorResponse } from '@kartshoppe/contracts';
import { DependencyUnavailableError, type Logger } from '@kartshoppe/runtime';
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createReadStream } from 'node:fs';
import { ForbiddenError, NotFoundError, RequestValidationError } from './http-errors';

const STATUS_NAMES: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * The one translation of errors to HTTP (STYLE §8): 400 naming the field, 404, 503 naming the
 * dependency, else 500 logged under a correlation id (the body never leaks internals).
 */
export function toErrorResponse(error: unknown, logger: Logger): ErrorResponse {
  const body = (statusCode: number, message: string, extra: Partial<ErrorResponse> = {}): ErrorResponse => ({
    statusCode,
    error: STATUS_NAMES[statusCode] ?? 'Error',
    message,
    ...extra,
  });
  if (error instanceof RequestValidationError) return body(400, error.message, { fields: error.fields });
  if (error instanceof NotFoundError) return body(404, error.message);
  if (error instanceof ForbiddenError) return body(403, error.message);
  if (error instanceof DependencyUnavailableError) {
    return body(503, `${error.dependency} is unavailable, try again shortly`, {
      dependency: error.dependency,
    });
  }
  // Fastify's own errors (malformed JSON, body too large, wrong content type) carry a 4xx statusCode.
  const e = error as { statusCode?: number; code?: string; message?: string };
  if (error instanceof HttpException && error.getStatus() < 500)
    return body(error.getStatus(), error.message);
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    const message =
      e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
      e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
      /JSON/.test(e.message ?? '')
        ? `malformed JSON body: ${e.message}`
        : (e.message ?? 'bad request');
    return body(e.statusCode, message);
  }
  const correlationId = randomUUID();
  logger.error({ err: error, correlationId }, 'unhandled error');
  return body(500, `internal error (correlation id ${correlationId})`, { correlationId });
}

const API_PATHS = /^\/(api|ecommerce|health|metrics)(\/|$|\?)/;

@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  /** `spaIndex`: the storefront's index.html, sent for unknown non-API GET paths (client-side routes). */
  constructor(
    private readonly logger: Logger,
    private readonly spaIndex?: string,
  ) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    if (
      this.spaIndex &&
      error instanceof HttpException &&
      error.getStatus() === 404 &&
      request.method === 'GET' &&
      !API_PATHS.test(request.url)
    ) {
      void reply.status(200).type('text/html; charset=utf-8').send(createReadStream(this.spaIndex));
      return;
    }
    const response = toErrorResponse(error, this.logger);
    void reply.status(response.statusCode).header('content-type', 'application/json').send(response);
  }
}

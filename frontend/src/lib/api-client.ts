/**
 * The storefront's one HTTP client. Every non-2xx answer becomes an ApiError carrying the server's
 * ErrorResponse (message, wrong fields, failed dependency) so pages can SHOW it: the original turned any
 * checkout failure into a fake "Order Confirmed!" (F-FE-1).
 */
import { ErrorResponseSchema, type ErrorResponse } from '@kartshoppe/contracts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorResponse,
  ) {
    super(body.message);
    this.name = 'ApiError';
  }

  /** One line for the UI: the message plus the fields or dependency it names. */
  describe(): string {
    const fields = this.body.fields?.map((f) => `${f.path}: ${f.message}`).join('; ');
    const dependency = this.body.dependency ? ` (${this.body.dependency} unavailable)` : '';
    return `${this.body.message}${dependency}${fields ? ` — ${fields}` : ''}`;
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.describe();
  if (error instanceof Error) return error.message;
  return String(error);
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

let fetchImpl: FetchLike = (input, init) => fetch(input, init);

/** Tests swap the transport; the app always uses the browser's fetch. */
export function setFetch(impl: FetchLike): void {
  fetchImpl = impl;
}

export function buildUrl(path: string, query?: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== '') params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function readError(res: Response): Promise<ErrorResponse> {
  const text = await res.text().catch(() => '');
  try {
    const parsed = ErrorResponseSchema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // not JSON: a proxy or a crashed server answered; fall through to a generic body
  }
  // A proxy (the dev server, a load balancer) answers 5xx without our JSON body when the API is down.
  const unreachable = res.status === 502 || res.status === 504 || (res.status >= 500 && !text.trim());
  const message = unreachable
    ? 'The checkout API is not reachable (is it running on port 8081?)'
    : text.slice(0, 200) || res.statusText || `HTTP ${res.status}`;
  return { statusCode: res.status, error: res.statusText || 'Error', message };
}

export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = 'GET', body, query, signal, headers = {} } = options;
  let res: Response;
  try {
    res = await fetchImpl(buildUrl(path, query), {
      method,
      signal,
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, {
      statusCode: 0,
      error: 'Network error',
      message: `Could not reach the server: ${(e as Error).message}`,
    });
  }
  if (!res.ok) throw new ApiError(res.status, await readError(res));
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(path: string, query?: RequestOptions['query'], signal?: AbortSignal) =>
    apiRequest<T>(path, { query, signal }),
  post: <T>(path: string, body?: unknown, headers?: Record<string, string>) =>
    apiRequest<T>(path, { method: 'POST', body: body ?? {}, headers }),
  put: <T>(path: string, body?: unknown) => apiRequest<T>(path, { method: 'PUT', body: body ?? {} }),
  delete: <T>(path: string) => apiRequest<T>(path, { method: 'DELETE' }),
};

import 'reflect-metadata';
import { ApiHealthSchema, ErrorResponseSchema, InventoryStateResponseSchema } from '@kartshoppe/contracts';
import { createLogger } from '@kartshoppe/runtime';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from './app.factory';
import { loadApiConfig } from './config/api.config';

/**
 * Boots the real Nest application under jest (CommonJS, Fastify adapter) with its I/O edges not
 * connected: Postgres and Kafka point at closed ports and the background runtime is never started.
 * Proves the module wiring, validation and error translation without any infrastructure.
 */
describe('checkout-api boots under jest (CommonJS, NestJS 11 + Fastify)', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    const config = loadApiConfig({
      POSTGRES_PORT: '1',
      KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:1',
      STOREFRONT_DIR: '/nonexistent',
      HTTP_BODY_LIMIT_BYTES: '2048',
    });
    ({ app } = await createApp(config, createLogger('checkout-api-test', 'silent')));
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => {
    await app.close();
  });

  const inject = (opts: {
    method: 'GET' | 'POST' | 'PUT' | 'DELETE';
    url: string;
    payload?: unknown;
    headers?: Record<string, string>;
  }) => app.inject(opts as never);

  it('serves the (empty) catalog from the read model', async () => {
    const res = await inject({ method: 'GET', url: '/api/ecommerce/inventory/state' });
    expect(res.statusCode).toBe(200);
    expect(InventoryStateResponseSchema.parse(res.json())).toMatchObject({ products: [], totalProducts: 0 });
  });

  it('404 JSON for an unknown product', async () => {
    const res = await inject({ method: 'GET', url: '/api/ecommerce/product/PROD_9999' });
    expect(res.statusCode).toBe(404);
    expect(ErrorResponseSchema.parse(res.json()).message).toContain('PROD_9999');
  });

  it.each([
    ['missing sessionId', { useCdc: false }, 'sessionId'],
    ['unknown field', { sessionId: 's1', coupon: 'X' }, 'coupon'],
    ['useCdc not a boolean', { sessionId: 's1', useCdc: 'yes' }, 'useCdc'],
  ])('400 naming the field: %s', async (_n, payload, field) => {
    const res = await inject({ method: 'POST', url: '/api/ecommerce/checkout', payload });
    expect(res.statusCode).toBe(400);
    const body = ErrorResponseSchema.parse(res.json());
    expect(body.fields?.map((f) => f.path)).toContain(field);
  });

  it('400 for malformed JSON, 413 for an oversize body', async () => {
    const bad = await inject({
      method: 'POST',
      url: '/api/ecommerce/checkout',
      payload: '{"sessionId":',
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.statusCode).toBe(400);
    expect(ErrorResponseSchema.parse(bad.json()).message).toMatch(/JSON/);
    const big = await inject({
      method: 'POST',
      url: '/api/ecommerce/checkout',
      payload: { sessionId: 'x'.repeat(5000) },
    });
    expect(big.statusCode).toBe(413);
    expect(ErrorResponseSchema.parse(big.json()).statusCode).toBe(413);
  });

  it('503 naming postgres when the database is unreachable', async () => {
    const res = await inject({ method: 'GET', url: '/api/ecommerce/cart/s1' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ dependency: 'postgres' });
  });

  it('health names the failing dependency', async () => {
    const res = await inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(503);
    const h = ApiHealthSchema.parse(res.json());
    expect(h.status).toBe('down');
    expect(h.dependencies.find((d) => d.name === 'postgres')?.status).toBe('down');
  });

  it('serves the OpenAPI document at /api/docs', async () => {
    const res = await inject({ method: 'GET', url: '/api/docs' });
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json().paths)).toContain('/api/ecommerce/checkout');
  });

  it('local mode lets a produce through to Kafka (503 naming kafka while it is down)', async () => {
    const res = await inject({
      method: 'POST',
      url: '/api/topics/products/messages',
      payload: { key: 'k', value: {} },
    });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ dependency: 'kafka' });
  });
});

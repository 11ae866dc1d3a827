import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Logger } from '@kartshoppe/runtime';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ApiRuntime } from './api.runtime';
import { AppModule } from './app.module';
import { HttpExceptionFilter, toErrorResponse } from './common/http-exception.filter';
import type { ApiConfig } from './config/api.config';

/**
 * Builds the Nest application (Fastify adapter) without listening or connecting, so tests and main
 * share one construction. `runtime.start(server)` connects the background parts.
 */
export async function createApp(
  config: ApiConfig,
  logger: Logger,
): Promise<{ app: NestFastifyApplication; runtime: ApiRuntime }> {
  const adapter = new FastifyAdapter({ bodyLimit: config.HTTP_BODY_LIMIT_BYTES, logger: false });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(config, logger), adapter, {
    logger: ['error', 'warn'],
    abortOnError: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  // Errors raised before Nest sees the request (malformed JSON, body too large) get the same body.
  fastify.setErrorHandler((error, _req, reply) => {
    const body = toErrorResponse(error, logger);
    void reply.status(body.statusCode).send(body);
  });
  app.useGlobalFilters(new HttpExceptionFilter(logger, spaIndex(config.STOREFRONT_DIR)));
  app.enableCors({
    origin: config.CORS_ORIGINS.split(',').map((o) => o.trim()),
    methods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['accept', 'authorization', 'content-type', 'x-requested-with', 'x-admin-token'],
  });
  const root = path.resolve(config.STOREFRONT_DIR);
  if (existsSync(path.join(root, 'index.html'))) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    await app.register(require('@fastify/static'), {
      root,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
    });
  }
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setTitle('KartShoppe checkout API').setVersion('1').build(),
  );
  fastify.get('/api/docs', async () => document);
  fastify.get('/api/docs-json', async () => document);
  return { app, runtime: app.get(ApiRuntime) };
}

function spaIndex(dir: string): string | undefined {
  const index = path.resolve(dir, 'index.html');
  return existsSync(index) ? index : undefined;
}

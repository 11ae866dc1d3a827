import 'reflect-metadata';
import { createLogger, installShutdown } from '@kartshoppe/runtime';
import { createApp } from './app.factory';
import { loadApiConfig } from './config/api.config';

/**
 * config → logger → app → listen → background parts. SIGTERM: stop accepting and finish in-flight
 * checkouts (app.close), then drain the publisher, one last outbox pass, close consumers, producer
 * and pool. A start-up error exits 1 with the reason.
 */
async function main(): Promise<void> {
  const config = loadApiConfig();
  const logger = createLogger('checkout-api', config.LOG_LEVEL);
  const { app, runtime } = await createApp(config, logger);
  await app.listen({ port: config.API_PORT, host: config.API_HOST });
  runtime.start(app.getHttpServer());
  logger.info({ port: config.API_PORT, mode: config.API_MODE }, 'checkout-api listening');
  installShutdown(
    logger,
    [
      { name: 'websockets', run: () => runtime.closeSockets() },
      { name: 'http', run: () => app.close() },
      { name: 'background', run: () => runtime.stop() },
    ],
    { deadlineMs: 15_000 },
  );
}

main().catch((error: unknown) => {
  console.error('checkout-api failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});

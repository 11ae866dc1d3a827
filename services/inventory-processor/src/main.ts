import { createLogger, installShutdown } from '@kartshoppe/runtime';
import { loadProcessorConfig } from './config';
import { createProcessorApp } from './processor.app';

/** config → logger → components → listen; SIGTERM finishes the batch, commits, leaves the group, closes LMDB. */
async function main(): Promise<void> {
  const config = loadProcessorConfig();
  const logger = createLogger('inventory-processor', config.LOG_LEVEL);
  const app = createProcessorApp(config, logger);
  installShutdown(logger, [{ name: 'processor', run: () => app.stop() }], { deadlineMs: 30_000 });
  try {
    await app.start();
    logger.info({ port: config.PROCESSOR_PORT }, 'inventory processor listening');
  } catch (error) {
    logger.fatal({ err: error }, 'inventory processor failed to start');
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

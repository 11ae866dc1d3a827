import { createKafka, createLogger, installShutdown, pgConnectionOptions, retry } from '@kartshoppe/runtime';
import { CdcWorker } from './cdc.worker';
import { loadCdcConfig } from './config';
import { createHttpServer } from './http.server';
import { createCdcMetrics } from './metrics';
import { SlotRepository } from './replication/slot.repository';

/** CDC worker: Postgres logical replication → Kafka. `--drop-slot` removes the slot and exits. */
async function main(): Promise<void> {
  const config = loadCdcConfig();
  const logger = createLogger('cdc-worker', config.LOG_LEVEL);
  const pgClientConfig = pgConnectionOptions(config);
  const slots = SlotRepository.create(pgClientConfig);

  if (process.argv.includes('--drop-slot')) {
    const dropped = await slots.dropSlot(config.CDC_SLOT_NAME);
    logger.info({ slot: config.CDC_SLOT_NAME, dropped }, dropped ? 'slot dropped' : 'no such slot');
    await slots.close();
    return;
  }

  const metrics = createCdcMetrics(() => slots.slotLagBytes(config.CDC_SLOT_NAME));
  const kafka = createKafka(config, 'kartshoppe-cdc-worker', logger);
  const worker = new CdcWorker({ config, logger, pgClientConfig, slots, kafka, metrics, nowMs: Date.now });
  const server = createHttpServer(() => worker.health(), metrics.registry, logger);
  installShutdown(logger, [
    { name: 'deliver in-flight transactions, confirm, stop streaming', run: () => worker.stop() },
    { name: 'close http', run: () => new Promise<void>((r) => server.close(() => r())) },
    { name: 'close postgres', run: () => slots.close() },
  ]);
  // Postgres or Kafka still starting: retry the start-up a few times before giving up with exit 1.
  await retry(() => worker.start(), {
    retries: 5,
    initialDelayMs: 500,
    maxDelayMs: 5_000,
    onRetry: (err, attempt, delayMs) => logger.warn({ err, attempt, delayMs }, 'start-up failed, retrying'),
  });
  await new Promise<void>((resolve, reject) =>
    server.listen(config.CDC_PORT, '0.0.0.0', resolve).once('error', reject),
  );
  logger.info({ port: config.CDC_PORT, slot: config.CDC_SLOT_NAME }, 'cdc-worker started');
}

main().catch((error: unknown) => {
  // pino may not exist yet (bad config): print plainly, exit 1 (no crash loop inside the process).
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

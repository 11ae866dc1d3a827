import type { Server } from 'node:http';
import { createKafka, createMetricsRegistry, type Logger } from '@kartshoppe/runtime';
import type { Kafka } from 'kafkajs';
import { catalogRecordsFor, readCatalog } from './catalog/catalog.loader';
import type { ProcessorEnv } from './config';
import { createStateServer } from './http/state.server';
import type { KeyState } from './rules';
import { StreamsRuntime } from './streams/kafka/streams.runtime';
import type { TaskRecoveryPolicy } from './streams/kafka/task-recovery';
import type { Processor } from './streams/processor';
import { InventoryProcessor } from './topology/inventory.processor';
import {
  CHILD,
  DEFAULT_TOPICS,
  childTopics,
  prefixedTopics,
  type InventoryTopics,
} from './topology/inventory.topology';

export interface ProcessorApp {
  runtime: StreamsRuntime<KeyState>;
  server: Server;
  topics: InventoryTopics;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface ProcessorAppOptions {
  kafka?: Kafka;
  /** The runtime cannot go on: by default exit 1, for the supervisor to restart the process. */
  onFatal?: (error: unknown) => void;
  taskRecovery?: TaskRecoveryPolicy;
  /** Wraps each partition's processor (tests inject faults with it). */
  wrapProcessor?: (processor: Processor<KeyState>) => Processor<KeyState>;
}

/** Wires config → Kafka → topology → runtime → HTTP. main.ts, the bench and tests use it. */
export function createProcessorApp(
  config: ProcessorEnv,
  logger: Logger,
  {
    kafka,
    onFatal = () => process.exit(1),
    taskRecovery,
    wrapProcessor = (p) => p,
  }: ProcessorAppOptions = {},
): ProcessorApp {
  const topics = config.PROCESSOR_TOPIC_PREFIX
    ? prefixedTopics(config.PROCESSOR_TOPIC_PREFIX)
    : DEFAULT_TOPICS;
  const client =
    kafka ?? createKafka(config, `${config.PROCESSOR_APP_ID}:${config.PROCESSOR_INSTANCE_ID}`, logger);
  const registry = createMetricsRegistry('inventory-processor');
  const rules = {
    lowStockThreshold: config.LOW_STOCK_THRESHOLD,
    criticalStockThreshold: config.CRITICAL_STOCK_THRESHOLD,
    priceDropPercent: config.PRICE_DROP_PERCENT,
    staleAfterMs: config.STALE_AFTER_MS,
    dedupWindowEvents: config.DEDUP_WINDOW_EVENTS,
  };
  let catalog: ReturnType<typeof readCatalog> | undefined;
  const runtime = new StreamsRuntime<KeyState>({
    kafka: client,
    logger,
    appId: config.PROCESSOR_APP_ID,
    instanceId: config.PROCESSOR_INSTANCE_ID,
    inputTopics: [topics.productUpdates, topics.orderEvents],
    changelogTopic: topics.changelog,
    childTopics: childTopics(topics),
    compactedChildren: new Set([CHILD.products]),
    deadLetterChild: CHILD.deadLetters,
    supplier: () =>
      wrapProcessor(new InventoryProcessor({ topics, rules, timerSweepMs: config.TIMER_SWEEP_MS })),
    stateDir: config.PROCESSOR_STATE_DIR,
    timerSweepMs: config.TIMER_SWEEP_MS,
    registry,
    maxBytesPerPartition: config.PROCESSOR_FETCH_BYTES_PER_PARTITION,
    sessionTimeoutMs: config.PROCESSOR_SESSION_TIMEOUT_MS,
    maxMessagesPerRequest: config.PROCESSOR_MAX_MESSAGES_PER_REQUEST,
    onFatal: (error) => onFatal(error),
    taskRecovery,
    bootstrapRecords: (partition, partitionCount) => {
      catalog ??= readCatalog(config.CATALOG_FILE, logger);
      return catalogRecordsFor(catalog, partition, partitionCount, Date.now());
    },
  });
  const server = createStateServer(runtime, registry, config.PROCESSOR_INSTANCE_ID, logger);
  return {
    runtime,
    server,
    topics,
    async start() {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.PROCESSOR_PORT, '0.0.0.0', () => resolve());
      });
      await runtime.start();
    },
    async stop() {
      await runtime.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

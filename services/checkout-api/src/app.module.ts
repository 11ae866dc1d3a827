import { Module, type DynamicModule } from '@nestjs/common';
import { createKafka, createMetricsRegistry, pgConnectionOptions, type Logger } from '@kartshoppe/runtime';
import { Pool } from 'pg';
import { Gauge, type Registry } from 'prom-client';
import { CartController } from './cart/cart.controller';
import { CartRepository } from './cart/cart.repository';
import { CartService } from './cart/cart.service';
import { CatalogController } from './catalog/catalog.controller';
import { ReadModel } from './catalog/read-model';
import { Clock } from './common/clock';
import { API_CONFIG, type ApiConfig } from './config/api.config';
import { Database } from './db/database';
import { HealthController, METRICS_REGISTRY, MetricsController } from './health/health.controller';
import { HealthService } from './health/health.service';
import { KafkaConnections } from './kafka/kafka-connections';
import { OrderEventsPublisher } from './orders/order-events.publisher';
import { OrdersController } from './orders/orders.controller';
import { OrdersRepository } from './orders/orders.repository';
import { OrdersService } from './orders/orders.service';
import { OutboxPublisher } from './orders/outbox.publisher';
import { StorefrontGateway } from './storefront/storefront.gateway';
import { ApiRuntime } from './api.runtime';
import { ProduceGuardPolicy, TopicsController } from './topics/topics.controller';
import { TopicsService } from './topics/topics.service';

export const LOGGER = Symbol('LOGGER');

/**
 * Wiring only: every edge is built by an explicit factory from the parsed config, so nothing reads
 * process.env and a test can swap one provider (e.g. Clock) with overrideProvider.
 */
@Module({})
export class AppModule {
  static register(config: ApiConfig, logger: Logger): DynamicModule {
    const f = <T>(provide: unknown, inject: unknown[], useFactory: (...deps: never[]) => T) => ({
      provide: provide as never,
      inject: inject as never[],
      useFactory,
    });
    return {
      module: AppModule,
      controllers: [
        CartController,
        OrdersController,
        CatalogController,
        HealthController,
        MetricsController,
        TopicsController,
      ],
      providers: [
        { provide: API_CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        Clock,
        f(Database, [], () => {
          const pool = new Pool({
            ...pgConnectionOptions(config),
            max: config.PG_POOL_MAX,
            connectionTimeoutMillis: 3_000,
          });
          pool.on('error', (err) => logger.warn({ err: err.message }, 'idle postgres client error'));
          return new Database(pool);
        }),
        f(
          KafkaConnections,
          [],
          () => new KafkaConnections(createKafka(config, 'checkout-api', logger), logger),
        ),
        f(ReadModel, [], () => new ReadModel(config.ALERTS_KEPT)),
        f(CartRepository, [Database], (db: Database) => new CartRepository(db)),
        f(OrdersRepository, [Database], (db: Database) => new OrdersRepository(db)),
        f(
          StorefrontGateway,
          [ReadModel, Clock],
          (rm: ReadModel, clock: Clock) =>
            new StorefrontGateway(
              rm,
              clock,
              {
                maxBufferedBytes: config.WS_MAX_BUFFERED_BYTES,
                maxPendingMessages: config.WS_MAX_PENDING_MESSAGES,
              },
              logger,
            ),
        ),
        f(
          OrderEventsPublisher,
          [KafkaConnections, OrdersRepository],
          (k: KafkaConnections, orders: OrdersRepository) => {
            const p = new OrderEventsPublisher(
              k,
              {
                topic: config.TOPIC_ORDER_EVENTS,
                lingerMs: config.PUBLISH_LINGER_MS,
                maxQueuedEvents: config.PUBLISH_MAX_QUEUED_EVENTS,
                maxBatchEvents: 5_000,
              },
              logger,
            );
            // Mark acknowledged orders published, batched per produce request (one UPDATE per batch).
            p.onDelivered = (ids) =>
              void orders
                .markPublished(ids)
                .catch((err: Error) =>
                  logger.warn(
                    { err: err.message },
                    'mark published failed; the outbox will republish with the same eventIds',
                  ),
                );
            return p;
          },
        ),
        f(
          OutboxPublisher,
          [OrdersRepository, OrderEventsPublisher],
          (o: OrdersRepository, p: OrderEventsPublisher) =>
            new OutboxPublisher(
              o,
              p,
              {
                pollMs: config.OUTBOX_POLL_MS,
                graceMs: config.OUTBOX_GRACE_MS,
                batchOrders: 200,
                publishTimeoutMs: 10_000,
              },
              logger,
            ),
        ),
        f(
          CartService,
          [CartRepository, ReadModel, StorefrontGateway, Clock],
          (...d: [CartRepository, ReadModel, StorefrontGateway, Clock]) => new CartService(...d),
        ),
        f(
          OrdersService,
          [OrdersRepository, CartRepository, ReadModel, OrderEventsPublisher, StorefrontGateway, Clock],
          (
            ...d: [
              OrdersRepository,
              CartRepository,
              ReadModel,
              OrderEventsPublisher,
              StorefrontGateway,
              Clock,
            ]
          ) => new OrdersService(...d, config.PUBLISH_INLINE_TIMEOUT_MS, logger),
        ),
        f(
          HealthService,
          [Database, KafkaConnections, ReadModel, OrdersRepository, Clock],
          (...d: [Database, KafkaConnections, ReadModel, OrdersRepository, Clock]) =>
            new HealthService(...d, { processor: config.PROCESSOR_URL, cdc: config.CDC_URL }),
        ),
        f(
          TopicsService,
          [KafkaConnections],
          (k: KafkaConnections) =>
            new TopicsService(
              k,
              {
                maxScanTimeMs: config.TOPICS_MAX_SCAN_TIME_MS,
                groupPrefix: `${config.READ_MODEL_GROUP_PREFIX}-inspect`,
              },
              logger,
            ),
        ),
        {
          provide: ProduceGuardPolicy,
          useValue: new ProduceGuardPolicy(config.API_MODE, config.ADMIN_TOKEN),
        },
        f(
          METRICS_REGISTRY,
          [ReadModel, StorefrontGateway],
          (rm: ReadModel, gw: StorefrontGateway): Registry => {
            const registry = createMetricsRegistry('checkout-api');
            new Gauge({
              name: 'read_model_products',
              help: 'products in the read model',
              registers: [registry],
              collect() {
                this.set(rm.size());
              },
            });
            new Gauge({
              name: 'websocket_clients',
              help: 'open storefront sockets',
              registers: [registry],
              collect() {
                this.set(gw.clientCount);
              },
            });
            return registry;
          },
        ),
        f(
          ApiRuntime,
          [
            KafkaConnections,
            Database,
            ReadModel,
            OrdersService,
            OrderEventsPublisher,
            OutboxPublisher,
            StorefrontGateway,
            Clock,
          ],
          (
            ...d: ConstructorParameters<typeof ApiRuntime> extends [...infer A, unknown, unknown] ? A : never
          ) => new ApiRuntime(...d, config, logger),
        ),
      ],
    };
  }
}

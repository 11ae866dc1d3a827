import type { Logger } from '@kartshoppe/runtime';
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { ReadModel } from './catalog/read-model';
import { Clock } from './common/clock';
import type { ApiConfig } from './config/api.config';
import { Database } from './db/database';
import { KafkaConnections } from './kafka/kafka-connections';
import { OrderEventsPublisher } from './orders/order-events.publisher';
import { OrdersService } from './orders/orders.service';
import { OutboxPublisher } from './orders/outbox.publisher';
import { StorefrontGateway } from './storefront/storefront.gateway';
import { AlertsHandler } from './stream/alerts.handler';
import { InventoryEventsHandler } from './stream/inventory-events.handler';
import { OrderStatusHandler } from './stream/order-status.handler';
import { ProductsHandler } from './stream/products.handler';
import { TopicConsumer } from './stream/topic-consumer';

/**
 * Starts and stops the background parts (Kafka clients, consumers, outbox, WebSocket) in order. The
 * read model's group is new on every start, so it replays the topics from the beginning and the shop
 * is never empty after a restart (F-RM-3); order-status uses a stable group and commits.
 */
export class ApiRuntime {
  private consumers: TopicConsumer[] = [];
  private warmupTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly kafka: KafkaConnections,
    private readonly db: Database,
    private readonly readModel: ReadModel,
    private readonly orders: OrdersService,
    private readonly publisher: OrderEventsPublisher,
    private readonly outbox: OutboxPublisher,
    private readonly gateway: StorefrontGateway,
    private readonly clock: Clock,
    private readonly config: ApiConfig,
    private readonly logger: Logger,
  ) {}

  /** Begins everything in the background; never throws because Kafka is down. */
  start(server: Server): void {
    const c = this.config;
    this.gateway.attach(server);
    void this.kafka.start();
    const nowMs = () => this.clock.nowMs();
    const readModelTopics = [
      c.TOPIC_PRODUCTS,
      c.TOPIC_INVENTORY_EVENTS,
      c.TOPIC_WEBSOCKET_FANOUT,
      c.TOPIC_INVENTORY_ALERTS,
    ];
    const readModelConsumer = new TopicConsumer(
      this.kafka.kafka,
      this.kafka.admin,
      this.kafka.auxProducer,
      [
        new ProductsHandler(c.TOPIC_PRODUCTS, this.readModel),
        new InventoryEventsHandler(
          [c.TOPIC_INVENTORY_EVENTS, c.TOPIC_WEBSOCKET_FANOUT],
          this.readModel,
          this.logger,
        ),
        new AlertsHandler(c.TOPIC_INVENTORY_ALERTS, this.readModel),
      ],
      {
        name: 'read-model',
        groupId: `${c.READ_MODEL_GROUP_PREFIX}-${randomUUID()}`,
        topics: readModelTopics,
        commitOffsets: false,
        deadLetterTopic: c.TOPIC_DEAD_LETTERS,
        onCaughtUp: () => {
          this.logger.info({ products: this.readModel.size() }, 'read model warm');
          this.readModel.markWarm();
        },
      },
      this.logger,
      nowMs,
    );
    const orderStatusConsumer = new TopicConsumer(
      this.kafka.kafka,
      this.kafka.admin,
      this.kafka.auxProducer,
      [new OrderStatusHandler(c.TOPIC_ORDER_STATUS, this.orders)],
      {
        name: 'order-status',
        groupId: c.ORDER_STATUS_GROUP_ID,
        topics: [c.TOPIC_ORDER_STATUS],
        commitOffsets: true,
        deadLetterTopic: c.TOPIC_DEAD_LETTERS,
      },
      this.logger,
      nowMs,
    );
    this.consumers = [readModelConsumer, orderStatusConsumer];
    for (const consumer of this.consumers) void consumer.start();
    // A topic that never answers must not keep the API "starting" forever.
    this.warmupTimer = setTimeout(() => {
      if (!this.readModel.warm) {
        this.logger.warn(
          { products: this.readModel.size() },
          'read model did not catch up in time; serving what it has',
        );
        this.readModel.markWarm();
      }
    }, c.READ_MODEL_WARMUP_MAX_MS);
    this.warmupTimer.unref();
    this.outbox.start();
  }

  /** Open sockets would keep the HTTP server from closing; browsers reconnect to another instance. */
  closeSockets(): Promise<void> {
    return this.gateway.close();
  }

  /** After the HTTP server stopped accepting and finished in-flight requests (app.close()). */
  async stop(): Promise<void> {
    if (this.warmupTimer) clearTimeout(this.warmupTimer);
    await this.gateway.close();
    await this.publisher.drained();
    await this.outbox.stop();
    if (this.kafka.ready)
      await this.outbox
        .runOnce()
        .catch((err: Error) => this.logger.warn({ err: err.message }, 'final outbox pass failed'));
    await Promise.allSettled(this.consumers.map((c) => c.stop()));
    await this.kafka.stop();
    await this.db.pool.end();
  }
}

/**
 * Every Kafka topic of the platform, defined once (DESIGN §3). The names are part of the workshop
 * (users type them into the topic inspector), so they never change.
 */
export const TOPICS = {
  productUpdates: 'product-updates',
  orderEvents: 'order-events',
  products: 'products',
  inventoryEvents: 'inventory-events',
  inventoryAlerts: 'inventory-alerts',
  websocketFanout: 'websocket_fanout',
  orderStatus: 'order-status',
  cdcOrders: 'cdc.public.orders',
  cdcOrderItems: 'cdc.public.order_items',
  processorChangelog: 'inventory-processor-inventory-store-changelog',
  deadLetters: 'dead-letters',
} as const;

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];

export interface TopicSpec {
  name: TopicName;
  /** What the record key is. */
  key: string;
  /** Compacted topics keep the latest record per key forever (state, canonical catalog). */
  compacted: boolean;
  /** Inputs of the processor must share one partition count so a key lands on the same partition. */
  coPartitioned: boolean;
  description: string;
}

export const TOPIC_SPECS: readonly TopicSpec[] = [
  {
    name: TOPICS.productUpdates,
    key: 'productId',
    compacted: false,
    coPartitioned: true,
    description: 'Raw product records and patches (workshop users, scripts) -> processor',
  },
  {
    name: TOPICS.orderEvents,
    key: 'productId',
    compacted: false,
    coPartitioned: true,
    description: 'OrderItemEvent per order line (API direct or CDC worker) -> processor',
  },
  {
    name: TOPICS.products,
    key: 'productId',
    compacted: true,
    coPartitioned: false,
    description: 'Canonical validated products (processor) -> API read model',
  },
  {
    name: TOPICS.inventoryEvents,
    key: 'productId',
    compacted: false,
    coPartitioned: false,
    description: 'InventoryEvent per change (processor) -> API, users',
  },
  {
    name: TOPICS.inventoryAlerts,
    key: 'productId',
    compacted: false,
    coPartitioned: false,
    description: 'AlertEvent side output (processor) -> API, users',
  },
  {
    name: TOPICS.websocketFanout,
    key: 'productId',
    compacted: false,
    coPartitioned: false,
    description: 'InventoryEvent for the UI (processor) -> API WebSocket',
  },
  {
    name: TOPICS.orderStatus,
    key: 'orderId',
    compacted: false,
    coPartitioned: false,
    description: 'OrderItemStatus RESERVED/REJECTED (processor) -> API',
  },
  {
    name: TOPICS.cdcOrders,
    key: 'order_id',
    compacted: false,
    coPartitioned: false,
    description: 'Debezium-style change envelopes of table orders (CDC worker)',
  },
  {
    name: TOPICS.cdcOrderItems,
    key: 'order_item_id',
    compacted: false,
    coPartitioned: false,
    description: 'Debezium-style change envelopes of table order_items (CDC worker)',
  },
  {
    name: TOPICS.processorChangelog,
    key: 'productId',
    compacted: true,
    coPartitioned: false,
    description: "The processor's keyed state (restore source)",
  },
  {
    name: TOPICS.deadLetters,
    key: 'original key',
    compacted: false,
    coPartitioned: false,
    description: 'Poison input with origin headers (any consumer) -> operators',
  },
];

/** The processor's input topics; start-up refuses to run if their partition counts differ. */
export const CO_PARTITIONED_TOPICS: readonly TopicName[] = TOPIC_SPECS.filter((t) => t.coPartitioned).map(
  (t) => t.name,
);

export const DEFAULT_PARTITIONS = 6;

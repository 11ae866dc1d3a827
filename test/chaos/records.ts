/**
 * What the chaos run collects for the verifier: what the driver did (and was told), and what Postgres,
 * the committed topics (read_committed) and the processor's state say afterwards. Plain data, so the
 * verifier is a pure function of it and unit tests build it by hand.
 */

export interface OrderLineRef {
  productId: string;
  quantity: number;
}

/** An order the API acknowledged with 201 (created) or 200 (an idempotent retry of it). */
export interface AcknowledgedOrder {
  orderId: string;
  sessionId: string;
  idempotencyKey: string;
  useCdc: boolean;
  lines: OrderLineRef[];
}

/** A stock update the driver produced to `product-updates` (an absolute inventory, as patches are). */
export interface RestockSent {
  productId: string;
  inventory: number;
  partition: number;
  offset: string;
}

/** A record the driver produced on an input topic that the processor must refuse as poison. */
export interface PoisonSent {
  kind: string;
  topic: string;
  partition: number;
  offset: string;
}

export type ItemStatus = 'PENDING' | 'RESERVED' | 'REJECTED';

export interface PostgresOrder {
  orderId: string;
  sessionId: string;
  idempotencyKey: string | null;
  publishMode: 'direct' | 'cdc';
  /** The order's own status (PENDING, CONFIRMED, PARTIALLY_CONFIRMED, REJECTED). */
  status: string;
  items: { productId: string; quantity: number; status: ItemStatus }[];
}

/** A committed `order-events` record (only records that parse as order lines). */
export interface OrderEventRecord {
  eventId: string;
  orderId: string;
  productId: string;
  quantity: number;
  source: string;
}

/** A committed `order-status` record. */
export interface OrderStatusRecord {
  eventId: string;
  orderId: string;
  productId: string;
  status: 'RESERVED' | 'REJECTED';
  reason: string | null;
  quantity: number;
  remainingInventory: number | null;
}

/** A committed `inventory-events` record, in partition order (one product lives on one partition). */
export interface InventoryEventRecord {
  productId: string;
  eventType: string;
  previousInventory: number;
  currentInventory: number;
  version: number;
  eventId?: string;
}

/** Where a `dead-letters` record says it came from (its dlq.origin.* headers). */
export interface DeadLetterRecord {
  originTopic: string;
  originPartition: number;
  originOffset: string;
  component: string;
}

export interface ProductStock {
  productId: string;
  inventory: number;
  version?: number;
}

export interface ChaosRecords {
  /** The catalog the processor bootstraps from (initial stock per product). */
  catalog: ProductStock[];
  acknowledged: AcknowledgedOrder[];
  restocks: RestockSent[];
  poison: PoisonSent[];
  postgresOrders: PostgresOrder[];
  orderEvents: OrderEventRecord[];
  orderStatuses: OrderStatusRecord[];
  inventoryEvents: InventoryEventRecord[];
  /** The last `products` record per product. */
  productsTopic: ProductStock[];
  deadLetters: DeadLetterRecord[];
  /** GET /state/products of every processor instance, merged. */
  processorState: ProductStock[];
  /** The API's read model (GET /api/ecommerce/inventory/state), when it answered. */
  apiReadModel?: ProductStock[];
  /** Each service's /health once the platform settled after the last fault. */
  health?: ComponentHealth[];
  /** Services that exited without being killed (the supervisor restarted them). */
  unexpectedExits?: { component: string; exit: string }[];
}

export interface ComponentHealth {
  component: string;
  ready: boolean;
  detail: string;
}

export interface Discrepancy {
  check: string;
  subject: string;
  detail: string;
}

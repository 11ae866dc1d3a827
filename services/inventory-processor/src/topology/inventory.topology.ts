import { TOPICS } from '@kartshoppe/contracts';

/** The children (named sinks) the inventory processor forwards to; the runtime maps them to topics. */
export const CHILD = {
  products: 'products',
  inventoryEvents: 'inventory-events',
  websocketFanout: 'websocket-fanout',
  alerts: 'inventory-alerts',
  orderStatus: 'order-status',
  deadLetters: 'dead-letters',
  /** Records whose key put them on the wrong partition are re-keyed back into their input topic. */
  repartitionProductUpdates: 'repartition-product-updates',
  repartitionOrderEvents: 'repartition-order-events',
} as const;
export type Child = (typeof CHILD)[keyof typeof CHILD];

/** Topic names of the topology; the contracts names by default, per-test names in integration tests. */
export interface InventoryTopics {
  productUpdates: string;
  orderEvents: string;
  products: string;
  inventoryEvents: string;
  websocketFanout: string;
  alerts: string;
  orderStatus: string;
  deadLetters: string;
  changelog: string;
}

export const DEFAULT_TOPICS: InventoryTopics = {
  productUpdates: TOPICS.productUpdates,
  orderEvents: TOPICS.orderEvents,
  products: TOPICS.products,
  inventoryEvents: TOPICS.inventoryEvents,
  websocketFanout: TOPICS.websocketFanout,
  alerts: TOPICS.inventoryAlerts,
  orderStatus: TOPICS.orderStatus,
  deadLetters: TOPICS.deadLetters,
  changelog: TOPICS.processorChangelog,
};

/** `<prefix><name>` for every topic (tests give each run its own topics on the shared broker). */
export function prefixedTopics(prefix: string): InventoryTopics {
  const out = { ...DEFAULT_TOPICS };
  for (const k of Object.keys(out) as (keyof InventoryTopics)[]) out[k] = `${prefix}${out[k]}`;
  return out;
}

export function childTopics(topics: InventoryTopics): Record<Child, string> {
  return {
    [CHILD.products]: topics.products,
    [CHILD.inventoryEvents]: topics.inventoryEvents,
    [CHILD.websocketFanout]: topics.websocketFanout,
    [CHILD.alerts]: topics.alerts,
    [CHILD.orderStatus]: topics.orderStatus,
    [CHILD.deadLetters]: topics.deadLetters,
    [CHILD.repartitionProductUpdates]: topics.productUpdates,
    [CHILD.repartitionOrderEvents]: topics.orderEvents,
  };
}

/** The pseudo-topic name catalog records carry (dead-letter origin of a bad catalog entry). */
export const CATALOG_SOURCE = 'catalog-file';

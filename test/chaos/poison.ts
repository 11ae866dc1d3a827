/**
 * Poison records the driver injects on the processor's input topics: each must end on `dead-letters`
 * (with its origin) while the stream goes on. They carry a `chaos-poison` header naming their kind, so
 * the collector finds exactly what was written (a produce retried after a broker kill may write twice).
 * Records that parse name a catalog product and are keyed by it: they sit on the partition that owns
 * the product, so the processor refuses them where they are instead of re-keying them first.
 */
import { TOPICS } from '@kartshoppe/contracts';

export const POISON_HEADER = 'chaos-poison';
export const RESTOCK_HEADER = 'chaos-restock';

export interface PoisonRecord {
  kind: string;
  topic: string;
  key: string;
  value: string | null;
}

type PoisonMaker = (productId: string, n: number) => PoisonRecord;

const orderLine = (productId: string, n: number) => ({
  eventId: `poison-${n}:${productId}`,
  orderId: `poison-${n}`,
  productId,
  quantity: 1,
  timestamp: Date.now(),
  source: 'api',
});

const MAKERS: PoisonMaker[] = [
  (p) => ({
    kind: 'product-update: not JSON',
    topic: TOPICS.productUpdates,
    key: p,
    value: `{"productId":"${p}",`,
  }),
  (p) => ({
    kind: 'product-update: negative inventory',
    topic: TOPICS.productUpdates,
    key: p,
    value: JSON.stringify({ productId: p, inventory: -5 }),
  }),
  (p) => ({
    kind: 'product-update: price of the wrong type',
    topic: TOPICS.productUpdates,
    key: p,
    value: JSON.stringify({ productId: p, price: 'cheap' }),
  }),
  (_p, n) => ({
    kind: 'product-update: patch of an unknown product',
    topic: TOPICS.productUpdates,
    key: `CHAOS_UNKNOWN_${n}`,
    value: JSON.stringify({ productId: `CHAOS_UNKNOWN_${n}`, inventory: 3 }),
  }),
  (p) => ({ kind: 'order-event: not JSON', topic: TOPICS.orderEvents, key: p, value: '}{' }),
  (p) => ({ kind: 'order-event: empty value', topic: TOPICS.orderEvents, key: p, value: null }),
  (p, n) => ({
    kind: 'order-event: eventId is not orderId:productId',
    topic: TOPICS.orderEvents,
    key: p,
    value: JSON.stringify({ ...orderLine(p, n), eventId: `poison-${n}:SOMETHING_ELSE` }),
  }),
  (p, n) => ({
    kind: 'order-event: zero quantity',
    topic: TOPICS.orderEvents,
    key: p,
    value: JSON.stringify({ ...orderLine(p, n), quantity: 0 }),
  }),
  (p, n) => ({
    kind: 'order-event: unknown source',
    topic: TOPICS.orderEvents,
    key: p,
    value: JSON.stringify({ ...orderLine(p, n), source: 'fax' }),
  }),
];

/** The n-th poison record: the kinds in turn, aimed at `productId`. */
export function poisonRecord(n: number, productId: string): PoisonRecord {
  return MAKERS[n % MAKERS.length]!(productId, n);
}

export const POISON_KINDS = MAKERS.length;

/**
 * The chaos run's verdict, as a pure function of the collected records (Kafka Streams' EOS system test
 * has the same split: a driver, a killer, and a verifier that only reads what was committed).
 *
 * Checks, each naming its discrepancies:
 * - every order the API acknowledged is in Postgres with the same lines, and each line is on
 *   `order-events`; no order was placed twice (one session and one idempotencyKey per driver order);
 * - every committed order line has exactly one RESERVED or REJECTED status on `order-status`, and
 *   Postgres recorded that same status (and the order's status that follows from its lines);
 * - no duplicate effect per eventId (one deduction or rejection per order line on `inventory-events`);
 * - per product, the committed `inventory-events` form one unbroken chain of versions that never goes
 *   negative, whose restocks are exactly the driver's (in order), and final stock =
 *   initial + restocks − Σ RESERVED — equal in the processor's state, `products` and the API's read model;
 * - every poison record the driver injected is on `dead-letters` exactly once;
 * - after the last fault every service reports itself ready again, and none is in a crash loop.
 */
import { verifyStock } from './stock.verifier';
import type { ChaosRecords, Discrepancy, OrderStatusRecord } from './records';

export const ALL_RECORDS_DELIVERED = 'ALL-RECORDS-DELIVERED';

export function eventIdOf(orderId: string, productId: string): string {
  return `${orderId}:${productId}`;
}

export function verify(records: ChaosRecords): Discrepancy[] {
  return [
    ...verifyAcknowledgedOrders(records),
    ...verifyOrderStatuses(records),
    ...verifyStock(records),
    ...verifyDeadLetters(records),
    ...verifyRecovery(records),
  ];
}

/** Exits by itself this often (each restarted by the supervisor) is a crash loop, not a fault ridden out. */
export const CRASH_LOOP_EXITS = 3;

/** Every service is healthy again once the platform settled; none kept exiting by itself. */
export function verifyRecovery(r: ChaosRecords): Discrepancy[] {
  const out: Discrepancy[] = [];
  for (const h of r.health ?? [])
    if (!h.ready)
      out.push({
        check: 'not-ready-after-recovery',
        subject: h.component,
        detail: `${h.component} does not report ready after the platform settled: ${h.detail}`,
      });
  for (const [component, exits] of groupBy(r.unexpectedExits ?? [], (e) => e.component))
    if (exits.length >= CRASH_LOOP_EXITS)
      out.push({
        check: 'crash-loop',
        subject: component,
        detail: `${component} exited by itself ${exits.length} times (${exits.map((e) => e.exit).join(', ')})`,
      });
  return out;
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

function linesText(lines: readonly { productId: string; quantity: number }[]): string {
  return [...lines]
    .map((l) => `${l.productId}x${l.quantity}`)
    .sort()
    .join(',');
}

/** No acknowledged order is missing from Postgres or `order-events`; none was placed twice. */
export function verifyAcknowledgedOrders(r: ChaosRecords): Discrepancy[] {
  const out: Discrepancy[] = [];
  const pg = new Map(r.postgresOrders.map((o) => [o.orderId, o]));
  const published = new Set(r.orderEvents.map((e) => e.eventId));
  for (const [key, acks] of groupBy(r.acknowledged, (a) => a.idempotencyKey)) {
    const ids = new Set(acks.map((a) => a.orderId));
    if (ids.size > 1)
      out.push({
        check: 'order-placed-twice',
        subject: key,
        detail: `idempotencyKey ${key} was answered with ${ids.size} different orders: ${[...ids].join(', ')}`,
      });
  }
  for (const [session, orders] of groupBy(r.postgresOrders, (o) => o.sessionId)) {
    if (orders.length > 1)
      out.push({
        check: 'order-placed-twice',
        subject: session,
        detail: `session ${session} (one driver order) has ${orders.length} orders in Postgres: ${orders.map((o) => o.orderId).join(', ')}`,
      });
  }
  for (const ack of r.acknowledged) {
    const row = pg.get(ack.orderId);
    if (!row) {
      out.push({
        check: 'acknowledged-order-missing',
        subject: ack.orderId,
        detail: `the API acknowledged order ${ack.orderId} (${linesText(ack.lines)}) but Postgres has no such order`,
      });
      continue;
    }
    if (linesText(row.items) !== linesText(ack.lines))
      out.push({
        check: 'acknowledged-order-changed',
        subject: ack.orderId,
        detail: `acknowledged lines ${linesText(ack.lines)} but Postgres has ${linesText(row.items)}`,
      });
    for (const line of ack.lines) {
      const eventId = eventIdOf(ack.orderId, line.productId);
      if (!published.has(eventId))
        out.push({
          check: 'acknowledged-order-not-published',
          subject: eventId,
          detail: `acknowledged ${ack.useCdc ? 'CDC' : 'direct'} order line ${eventId} is not on order-events`,
        });
    }
  }
  return out;
}

/** An order's status follows from its lines' (the API's rule, restated here so the check is independent). */
export function orderStatusOf(lines: readonly string[]): string {
  if (lines.length === 0 || lines.includes('PENDING')) return 'PENDING';
  if (lines.every((s) => s === 'RESERVED')) return 'CONFIRMED';
  if (lines.every((s) => s === 'REJECTED')) return 'REJECTED';
  return 'PARTIALLY_CONFIRMED';
}

/** Every committed line has exactly one verdict, recorded in Postgres; no verdict or event without a line. */
export function verifyOrderStatuses(r: ChaosRecords): Discrepancy[] {
  const out: Discrepancy[] = [];
  const statuses = groupBy(r.orderStatuses, (s) => s.eventId);
  const lines = new Map<string, { quantity: number; status: string }>();
  for (const order of r.postgresOrders)
    for (const item of order.items) lines.set(eventIdOf(order.orderId, item.productId), item);

  for (const [eventId, line] of lines) {
    const found: OrderStatusRecord[] = statuses.get(eventId) ?? [];
    if (found.length === 0) {
      out.push({
        check: 'order-line-without-status',
        subject: eventId,
        detail: `committed order line ${eventId} has no RESERVED or REJECTED status on order-status (Postgres: ${line.status})`,
      });
      continue;
    }
    if (found.length > 1)
      out.push({
        check: 'duplicate-status',
        subject: eventId,
        detail: `order line ${eventId} has ${found.length} statuses on order-status: ${found.map((s) => s.status).join(', ')}`,
      });
    const verdict = found[0]!;
    if (verdict.quantity !== line.quantity)
      out.push({
        check: 'status-quantity',
        subject: eventId,
        detail: `order-status says quantity ${verdict.quantity}, Postgres ${line.quantity}`,
      });
    if (line.status !== verdict.status)
      out.push({
        check: 'postgres-status',
        subject: eventId,
        detail: `order-status says ${verdict.status} but Postgres has ${line.status}`,
      });
  }
  for (const order of r.postgresOrders) {
    const expected = orderStatusOf(order.items.map((i) => i.status));
    if (order.status !== expected)
      out.push({
        check: 'order-status',
        subject: order.orderId,
        detail: `order is ${order.status} in Postgres but its lines (${order.items.map((i) => i.status).join(', ')}) make it ${expected}`,
      });
  }
  for (const eventId of statuses.keys())
    if (!lines.has(eventId))
      out.push({
        check: 'status-without-order',
        subject: eventId,
        detail: `order-status has a verdict on ${eventId}, which is no committed order line`,
      });
  for (const [eventId, events] of groupBy(r.orderEvents, (e) => e.eventId)) {
    const line = lines.get(eventId);
    if (!line)
      out.push({
        check: 'event-without-order',
        subject: eventId,
        detail: `order-events has ${eventId} (from ${events[0]!.source}), which is no committed order line`,
      });
    else if (events.some((e) => e.quantity !== line.quantity))
      out.push({
        check: 'event-quantity',
        subject: eventId,
        detail: `order-events quantities ${events.map((e) => e.quantity).join(', ')}, Postgres ${line.quantity}`,
      });
  }
  return out;
}

/** Every injected poison record is on `dead-letters` once, with its origin. */
export function verifyDeadLetters(r: ChaosRecords): Discrepancy[] {
  const out: Discrepancy[] = [];
  const letters = groupBy(r.deadLetters, (d) => `${d.originTopic}/${d.originPartition}/${d.originOffset}`);
  for (const p of r.poison) {
    const at = `${p.topic}/${p.partition}/${p.offset}`;
    const found = letters.get(at)?.length ?? 0;
    if (found === 1) continue;
    out.push({
      check: found === 0 ? 'poison-not-dead-lettered' : 'poison-dead-lettered-twice',
      subject: at,
      detail:
        found === 0
          ? `poison record (${p.kind}) at ${at} is not on dead-letters`
          : `poison record (${p.kind}) at ${at} is on dead-letters ${found} times`,
    });
  }
  return out;
}

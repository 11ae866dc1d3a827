/**
 * The chaos driver: places orders at a steady rate through the API's HTTP endpoints (cart add +
 * checkout, mixed direct and CDC, many products, some lines deliberately larger than any stock so they
 * are REJECTED), sets stocks through `product-updates` (restocks) and injects poison records.
 *
 * It tolerates every part being down: a request that fails (connection refused or reset, timeout, 5xx)
 * is retried with the SAME idempotencyKey, so an order is never placed twice. An order counts as
 * acknowledged only when the API answered 201 (created) or 200 (the earlier order for that key).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, Partitioners, logLevel, type Producer } from 'kafkajs';
import { TOPICS } from '@kartshoppe/contracts';
import { API_URL, KAFKA_BROKERS, REPO_ROOT, sleep } from './platform.env';
import { POISON_HEADER, RESTOCK_HEADER, poisonRecord } from './poison';
import type { AcknowledgedOrder, OrderLineRef, ProductStock } from './records';
import { seededRng, type Rng } from './rng';

export interface DriverOptions {
  orders: number;
  durationMs: number;
  seed: number;
  /** One restock per this many orders. */
  restockEvery: number;
  poisonRecords: number;
  /** Orders in flight at most (the rate drops below plan while the API is down, then catches up). */
  maxInFlight: number;
  /** Nothing is retried after this moment (epoch ms). */
  giveUpAtMs: number;
  log: (line: string) => void;
}

export interface DriverStats {
  ordersPlanned: number;
  acknowledged: number;
  /** Acknowledgements that were a 200: the API had created the order during an earlier attempt. */
  acknowledgedOnRetry: number;
  unacknowledged: number;
  directOrders: number;
  cdcOrders: number;
  overOrderedLines: number;
  httpRetries: number;
  /** Why requests were retried (status code or network error), how often. */
  retryReasons: Record<string, number>;
  restocksSent: number;
  poisonSent: number;
  drivingMs: number;
  errors: string[];
}

export function loadCatalog(): ProductStock[] {
  const file = join(REPO_ROOT, 'data', 'initial-products.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as ProductStock[]).map((p) => ({
    productId: p.productId,
    inventory: p.inventory,
  }));
}

export interface PlannedOrder {
  lines: OrderLineRef[];
  useCdc: boolean;
  overOrdered: boolean;
}

/** Order n of a run: 1–3 distinct products (a few hot ones more often), mostly 1–3 units each. */
export function planOrder(rng: Rng, productIds: readonly string[]): PlannedOrder {
  const hot = productIds.slice(0, 8);
  const count = rng.int(1, 3);
  const chosen = new Set<string>();
  while (chosen.size < count) chosen.add(rng.chance(0.3) ? rng.pick(hot) : rng.pick(productIds));
  // Over-ordering: more than any stock can hold (restocks stay below 200), so REJECTED for sure.
  const overOrdered = rng.chance(0.04);
  const lines = [...chosen].map((productId, i) => ({
    productId,
    quantity: overOrdered && i === 0 ? rng.int(250, 1000) : rng.int(1, 3),
  }));
  return { lines, useCdc: rng.chance(0.5), overOrdered };
}

class GaveUp extends Error {}

export class OrderDriver {
  readonly acknowledged: AcknowledgedOrder[] = [];
  private readonly stats: DriverStats;
  private readonly kafka = new Kafka({
    clientId: 'chaos-driver',
    brokers: KAFKA_BROKERS,
    logLevel: logLevel.NOTHING,
  });
  private producer?: Producer;
  private kafkaQueue: Promise<void> = Promise.resolve();
  private readonly rng: Rng;

  constructor(
    private readonly options: DriverOptions,
    private readonly catalog: readonly ProductStock[],
    private readonly runId: string,
  ) {
    this.rng = seededRng(options.seed);
    this.stats = {
      ordersPlanned: options.orders,
      acknowledged: 0,
      acknowledgedOnRetry: 0,
      unacknowledged: 0,
      directOrders: 0,
      cdcOrders: 0,
      overOrderedLines: 0,
      httpRetries: 0,
      retryReasons: {},
      restocksSent: 0,
      poisonSent: 0,
      drivingMs: 0,
      errors: [],
    };
  }

  async run(): Promise<DriverStats> {
    const { orders, durationMs, maxInFlight, restockEvery, poisonRecords } = this.options;
    const ids = this.catalog.map((p) => p.productId);
    const started = Date.now();
    const inFlight = new Set<Promise<void>>();
    const poisonEvery = poisonRecords > 0 ? Math.max(1, Math.floor(orders / poisonRecords)) : Infinity;
    let poisonIndex = 0;
    for (let n = 0; n < orders; n++) {
      const due = started + (n * durationMs) / orders;
      if (due > Date.now()) await sleep(due - Date.now());
      while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
      const plan = planOrder(this.rng, ids);
      const p = this.placeOrder(n, plan).finally(() => inFlight.delete(p));
      inFlight.add(p);
      if (n % restockEvery === restockEvery - 1) this.restock(this.rng.pick(ids), this.rng.int(20, 150));
      if (n % poisonEvery === Math.floor(poisonEvery / 2) && poisonIndex < poisonRecords)
        this.poison(poisonIndex++, this.rng.pick(ids));
      if (n > 0 && n % 1000 === 0)
        this.options.log(
          `driver: ${n} orders started, ${this.stats.acknowledged} acknowledged, ${inFlight.size} in flight`,
        );
    }
    await Promise.all(inFlight);
    await this.kafkaQueue;
    this.stats.drivingMs = Date.now() - started;
    await this.producer?.disconnect().catch(() => undefined);
    return this.stats;
  }

  private async placeOrder(n: number, plan: PlannedOrder): Promise<void> {
    const sessionId = `chaos-${this.runId}-${n}`;
    const idempotencyKey = `order-${this.runId}-${n}`;
    try {
      for (const line of plan.lines) {
        await this.request('POST', `/api/ecommerce/cart/${sessionId}/add`, line);
      }
      const { status, body } = await this.request('POST', '/api/ecommerce/checkout', {
        sessionId,
        useCdc: plan.useCdc,
        idempotencyKey,
        paymentMethod: 'credit_card',
      });
      const order = body as { orderId: string; items: { productId: string; quantity: number }[] };
      this.acknowledged.push({
        orderId: order.orderId,
        sessionId,
        idempotencyKey,
        useCdc: plan.useCdc,
        lines: order.items.map((i) => ({ productId: i.productId, quantity: i.quantity })),
      });
      this.stats.acknowledged++;
      if (status === 200) this.stats.acknowledgedOnRetry++;
      if (plan.useCdc) this.stats.cdcOrders++;
      else this.stats.directOrders++;
      if (plan.overOrdered) this.stats.overOrderedLines++;
    } catch (error) {
      this.stats.unacknowledged++;
      if (!(error instanceof GaveUp)) this.stats.errors.push(`order ${n}: ${(error as Error).message}`);
    }
  }

  /** One HTTP call, retried while the API (or what it depends on) is down; a 4xx is the driver's bug. */
  private async request(
    method: string,
    path: string,
    body: unknown,
  ): Promise<{ status: number; body: unknown }> {
    for (let attempt = 0; ; attempt++) {
      if (Date.now() > this.options.giveUpAtMs) throw new GaveUp(`${method} ${path}`);
      let retryWhy: string;
      try {
        const res = await fetch(`${API_URL}${path}`, {
          method,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(15_000),
        });
        const text = await res.text();
        if (res.status === 200 || res.status === 201) return { status: res.status, body: JSON.parse(text) };
        if (res.status < 500 && res.status !== 408 && res.status !== 429)
          throw new Error(`${method} ${path} → ${res.status}: ${text.slice(0, 300)}`);
        retryWhy = `${res.status}`;
      } catch (error) {
        if ((error as Error).message.includes(' → ')) throw error;
        retryWhy = (error as Error).message;
      }
      this.stats.httpRetries++;
      this.stats.retryReasons[retryWhy] = (this.stats.retryReasons[retryWhy] ?? 0) + 1;
      await sleep(Math.min(2_000, 100 * 2 ** Math.min(attempt, 5)) * (0.5 + this.rng.next()));
    }
  }

  private restock(productId: string, inventory: number): void {
    this.enqueueKafka(TOPICS.productUpdates, productId, JSON.stringify({ productId, inventory }), {
      [RESTOCK_HEADER]: String(inventory),
    }).then((ok) => ok && this.stats.restocksSent++);
  }

  private poison(n: number, productId: string): void {
    const p = poisonRecord(n, productId);
    this.enqueueKafka(p.topic, p.key, p.value, { [POISON_HEADER]: p.kind }).then(
      (ok) => ok && this.stats.poisonSent++,
    );
  }

  /** Kafka sends run one at a time (restocks of a product stay in order), each retried across a broker kill. */
  private enqueueKafka(
    topic: string,
    key: string,
    value: string | null,
    headers: Record<string, string>,
  ): Promise<boolean> {
    const send = async (): Promise<boolean> => {
      for (let failures = 0; ; failures++) {
        if (Date.now() > this.options.giveUpAtMs) return false;
        try {
          if (!this.producer) {
            const producer = this.kafka.producer({
              idempotent: true,
              maxInFlightRequests: 1,
              createPartitioner: Partitioners.DefaultPartitioner,
            });
            await producer.connect();
            this.producer = producer;
          }
          await this.producer.send({ topic, acks: -1, messages: [{ key, value, headers }] });
          return true;
        } catch {
          // A producer that keeps failing after a broker restart starts over with a new producer id.
          if (failures % 3 === 2) {
            await this.producer?.disconnect().catch(() => undefined);
            this.producer = undefined;
          }
          await sleep(500);
        }
      }
    };
    const result = this.kafkaQueue.then(send);
    this.kafkaQueue = result.then(() => undefined);
    return result;
  }
}

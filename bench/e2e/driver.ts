/**
 * The load side of the end-to-end bench: bench products, pre-filled carts, a storefront WebSocket
 * client, and an open-loop driver placing checkouts over HTTP at a fixed rate.
 *
 * Carts are written straight to Postgres before a phase (adding to a cart is not what is measured);
 * the checkout itself goes through the API like the storefront's. Each cart holds one unit of one
 * product, and products are used round-robin, so a product is reused only after `products / rate`
 * seconds and its stock update can be attributed to one order (see StockUpdateMatcher).
 */
import { Agent, request } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import WebSocket from 'ws';
import { TOPICS, websocketPath, type Product } from '@kartshoppe/contracts';
import { dueAtMs, dueCount, ordersInPhase, summarize, type LatencySummary } from '../lib/stats';
import { StockUpdateMatcher, type OrderTicket } from '../lib/stock-matcher';

export const INITIAL_STOCK = 1_000_000;

export type Mode = 'direct' | 'cdc';

export interface PhaseOutcome {
  mode: Mode;
  ratePerSec: number;
  /** Orders sent in the measured window ÷ its length (lower than the rate when the driver lags). */
  achievedPerSec: number;
  /** Orders created (201) in the measured window ÷ the time until the last of them was answered. */
  completedPerSec: number;
  orders: number;
  created: number;
  failed: number;
  failures: Record<string, number>;
  /** Created orders whose stock update never reached the browser before the drain deadline. */
  unsettled: number;
  /** HTTP 201 → PRODUCT_UPDATE showing the deduction, at the WebSocket client. */
  toBrowser: LatencySummary;
  /** Checkout response time, from the instant the order was due (includes any queueing). */
  http: LatencySummary;
  /** The load generator's own event-loop delay p99: how much its timestamps may be late. */
  benchLoopDelayP99Ms: number;
}

export function productIds(run: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `BENCH_${run}_${String(i).padStart(5, '0')}`);
}

/** Creates the bench products through `product-updates`, as a workshop user would. */
export async function createProducts(kafka: Kafka, prefix: string, ids: string[]): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  const product = (productId: string, i: number): Product => ({
    productId,
    name: `Bench product ${i}`,
    description: 'end-to-end bench',
    category: 'Bench',
    brand: 'Bench',
    price: 9.99,
    inventory: INITIAL_STOCK,
    imageUrl: '',
    tags: [],
    rating: 4,
    reviewCount: 1,
  });
  for (let from = 0; from < ids.length; from += 1000) {
    await producer.send({
      topic: `${prefix}${TOPICS.productUpdates}`,
      acks: -1,
      messages: ids
        .slice(from, from + 1000)
        .map((id, i) => ({ key: id, value: JSON.stringify(product(id, from + i)) })),
    });
  }
  await producer.disconnect();
}

/** A storefront browser: feeds every PRODUCT_UPDATE to the matcher, remembers which products it knows. */
export class BrowserClient {
  readonly known = new Set<string>();
  private ws?: WebSocket;
  closedUnexpectedly?: string;

  constructor(
    private readonly apiBase: string,
    private readonly matcher: StockUpdateMatcher,
  ) {}

  async connect(sessionId: string): Promise<void> {
    const url = `${this.apiBase.replace(/^http/, 'ws')}${websocketPath(sessionId, 'bench-browser')}`;
    const ws = new WebSocket(url);
    this.ws = ws;
    ws.on('message', (data) => {
      const atMs = performance.now();
      const msg = JSON.parse(data.toString()) as { eventType: string; payload: unknown };
      if (msg.eventType === 'PRODUCT_UPDATE') {
        const p = msg.payload as Product;
        this.known.add(p.productId);
        this.matcher.stockSeen(p.productId, p.inventory, atMs);
      } else if (msg.eventType === 'PRODUCT_CACHE_SYNC') {
        for (const p of (msg.payload as { products: Product[] }).products) this.known.add(p.productId);
      }
    });
    ws.on('close', (code, reason) => (this.closedUnexpectedly ??= `closed ${code} ${reason.toString()}`));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
  }

  close(): void {
    this.closedUnexpectedly = undefined;
    this.ws?.removeAllListeners('close');
    this.ws?.close();
  }
}

/** One cart per order, one unit of one product each. */
async function fillCarts(pool: Pool, carts: { sessionId: string; productId: string }[]): Promise<void> {
  for (let from = 0; from < carts.length; from += 5000) {
    const chunk = carts.slice(from, from + 5000);
    await pool.query(
      `INSERT INTO cart_items (session_id, product_id, quantity)
       SELECT s, p, 1 FROM unnest($1::text[], $2::text[]) AS t(s, p)`,
      [chunk.map((c) => c.sessionId), chunk.map((c) => c.productId)],
    );
  }
}

export interface DriverOptions {
  apiBase: string;
  pool: Pool;
  sessionPrefix: string;
  products: string[];
  initialStock: number;
}

/** Places checkouts phase after phase; latencies of orders sent in a measured window are kept. */
export class OrderDriver {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 256 });
  private nextProduct = 0;
  private measured = new Set<number>();
  private toBrowserMs: number[] = [];
  /** Fed by the browser client; settles orders into this driver's latencies. */
  readonly matcher = new StockUpdateMatcher(({ ticket, latencyMs }) => {
    if (this.measured.delete(ticket.seq)) this.toBrowserMs.push(latencyMs);
  });

  constructor(private readonly o: DriverOptions) {
    for (const id of o.products) this.matcher.addProduct(id, o.initialStock);
  }

  close(): void {
    this.agent.destroy();
  }

  async runPhase(
    mode: Mode,
    ratePerSec: number,
    warmupMs: number,
    measureMs: number,
    drainTimeoutMs: number,
  ): Promise<PhaseOutcome> {
    const warmup = ordersInPhase(warmupMs, ratePerSec);
    const total = warmup + ordersInPhase(measureMs, ratePerSec);
    const carts = Array.from({ length: total }, (_, i) => ({
      sessionId: `${this.o.sessionPrefix}${mode}-${ratePerSec}-${i}`,
      productId: this.o.products[this.nextProduct++ % this.o.products.length]!,
    }));
    await fillCarts(this.o.pool, carts);

    this.measured = new Set();
    this.toBrowserMs = [];
    const httpMs: number[] = [];
    const failures: Record<string, number> = {};
    let created = 0;
    let failed = 0;
    let lastAcceptedAt = 0;
    const inFlight = new Set<Promise<void>>();
    const loopDelay = monitorEventLoopDelay({ resolution: 5 });

    const place = (i: number, dueAt: number) => {
      const ticket = this.matcher.place(carts[i]!.productId);
      const isMeasured = i >= warmup;
      if (isMeasured) this.measured.add(ticket.seq);
      const body = JSON.stringify({
        sessionId: carts[i]!.sessionId,
        userId: 'bench',
        useCdc: mode === 'cdc',
      });
      const p = this.post('/api/ecommerce/checkout', body).then(
        (status) => {
          const now = performance.now();
          if (status === 201) {
            this.matcher.accepted(ticket, now);
            if (isMeasured) {
              created++;
              lastAcceptedAt = now;
              httpMs.push(now - dueAt);
            }
            return;
          }
          this.fail(ticket, isMeasured, String(status), failures);
          failed += isMeasured ? 1 : 0;
        },
        (error: Error) => {
          this.fail(ticket, isMeasured, error.message, failures);
          failed += isMeasured ? 1 : 0;
        },
      );
      const tracked = p.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
    };

    const start = performance.now();
    let measureStart = start;
    let sent = 0;
    while (sent < total) {
      const elapsed = performance.now() - start;
      const due = Math.min(total, dueCount(elapsed, ratePerSec));
      for (; sent < due; sent++) {
        if (sent === warmup) {
          measureStart = performance.now();
          loopDelay.enable();
        }
        place(sent, start + dueAtMs(sent, ratePerSec));
      }
      if (sent < total) {
        const wait = start + dueAtMs(sent, ratePerSec) - performance.now();
        await new Promise((r) => setTimeout(r, Math.max(0, wait)));
      }
    }
    const sendSeconds = (performance.now() - measureStart) / 1000;
    loopDelay.disable();
    await Promise.all(inFlight);
    const deadline = performance.now() + drainTimeoutMs;
    while (this.measured.size > 0 && performance.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));

    const measuredOrders = total - warmup;
    return {
      mode,
      ratePerSec,
      achievedPerSec: Math.round(measuredOrders / Math.max(sendSeconds, measureMs / 1000)),
      completedPerSec: Math.round(
        created / Math.max((lastAcceptedAt - measureStart) / 1000, measureMs / 1000),
      ),
      orders: measuredOrders,
      created,
      failed,
      failures,
      unsettled: this.measured.size,
      toBrowser: summarize(this.toBrowserMs),
      http: summarize(httpMs),
      benchLoopDelayP99Ms: Math.round(loopDelay.percentile(99) / 1e5) / 10,
    };
  }

  private fail(ticket: OrderTicket, measured: boolean, why: string, failures: Record<string, number>) {
    this.matcher.failed(ticket);
    if (!measured) return;
    this.measured.delete(ticket.seq);
    failures[why] = (failures[why] ?? 0) + 1;
  }

  /** POST with a kept-alive socket; resolves with the status once the body is read. */
  private post(path: string, body: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const req = request(
        `${this.o.apiBase}${path}`,
        {
          method: 'POST',
          agent: this.agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          timeout: 30_000,
        },
        (res) => {
          res.resume();
          res.once('end', () => resolve(res.statusCode ?? 0));
          res.once('error', reject);
        },
      );
      req.once('timeout', () => req.destroy(new Error('timeout')));
      req.once('error', reject);
      req.end(body);
    });
  }
}

/**
 * The storefront's one WebSocket (`/ecommerce/{sessionId}/{userId}`). It
 * - reconnects with capped exponential backoff and jitter (the original retried every 3 s forever, and
 *   React StrictMode's double mount left an orphan socket handling every message twice: F-REL-6);
 * - applies the PRODUCT_CACHE_SYNC snapshot sent on every (re)connect, so changes missed while
 *   disconnected are not lost (F-FE-4);
 * - writes each typed push into the same cache the REST queries read (catalog, cart, orders, alerts);
 * - exposes a connection status for the navbar ("Live" / "Reconnecting…" / "Offline"); the original's
 *   "Live Updates Active" was hard-coded (F-U-5).
 * Messages are validated with the contracts' ServerMessageSchema; an invalid one is counted and dropped.
 */
import {
  ServerMessageSchema,
  websocketPath,
  type AlertEvent,
  type Product,
  type ServerMessage,
} from '@kartshoppe/contracts';
import { cacheKeys, type StockPoint } from './cache-keys';
import { appendStockPoint, applySnapshot, mergeProduct, prependAlert } from './catalog-merge';
import type { QueryCache } from './query-cache';

export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

/** The part of the browser WebSocket this module uses (a fake implements it in tests). */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason?: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}
export type WebSocketFactory = (url: string) => WebSocketLike;

export interface BackoffOptions {
  baseMs: number;
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, capMs: 15_000 };
const CONNECTING = 0;
const OPEN = 1;

/**
 * Delay before reconnect attempt `attempt` (0-based): exponential, capped, with "equal jitter" (half
 * fixed, half random) so a restarted server is not hit by every tab at the same instant, yet no retry
 * is immediate.
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions, random: () => number): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export interface LiveSocketOptions {
  url: string;
  cache: QueryCache;
  createSocket?: WebSocketFactory;
  backoff?: BackoffOptions;
  random?: () => number;
  nowMs?: () => number;
  /** After this many failed attempts in a row the indicator says "Offline" (retries continue). */
  offlineAfterAttempts?: number;
  /** Keep-alive ping interval, so idle proxies do not cut the socket. */
  pingIntervalMs?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export class LiveSocket {
  private socket: WebSocketLike | null = null;
  private status: ConnectionStatus = 'offline';
  private attempt = 0;
  private retryTimer: unknown = null;
  private pingTimer: unknown = null;
  private running = false;
  private readonly statusListeners = new Set<() => void>();
  private readonly opts: Required<Omit<LiveSocketOptions, 'url' | 'cache'>>;
  /** Messages that failed validation (shown on the platform page; never thrown). */
  droppedMessages = 0;

  constructor(
    private readonly url: string,
    private readonly cache: QueryCache,
    options: Omit<LiveSocketOptions, 'url' | 'cache'> = {},
  ) {
    this.opts = {
      createSocket: options.createSocket ?? ((u) => new WebSocket(u) as unknown as WebSocketLike),
      backoff: options.backoff ?? DEFAULT_BACKOFF,
      random: options.random ?? Math.random,
      nowMs: options.nowMs ?? Date.now,
      offlineAfterAttempts: options.offlineAfterAttempts ?? 5,
      pingIntervalMs: options.pingIntervalMs ?? 25_000,
      setTimer: options.setTimer ?? ((fn, ms) => setTimeout(fn, ms)),
      clearTimer: options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>)),
    };
  }

  /** Idempotent: a second start (StrictMode double effect) does not open a second socket. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.attempt = 0;
    this.connect();
  }

  /** Closes the socket and cancels any retry; safe to call twice. */
  stop(): void {
    this.running = false;
    this.clearTimers();
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = socket.onmessage = socket.onerror = null;
      if (socket.readyState === CONNECTING) {
        // Closing a socket that is still connecting makes the browser log an error (StrictMode's
        // mount/unmount/mount does exactly that): close it as soon as it opens instead.
        socket.onopen = () => socket.close(1000, 'client closed');
      } else {
        socket.onopen = null;
        socket.close(1000, 'client closed');
      }
    }
    this.setStatus('offline');
  }

  /** Reconnects now (the browser came back online, or the user clicked the indicator). */
  reconnectNow(): void {
    if (!this.running || this.status === 'live' || this.status === 'connecting') return;
    this.clearTimers();
    this.connect();
  }

  getStatus(): ConnectionStatus {
    return this.status;
  }

  subscribeStatus(listener: () => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Validates one raw frame and writes it into the cache; returns the message or null if dropped. */
  handleFrame(raw: unknown): ServerMessage | null {
    let json: unknown;
    try {
      json = JSON.parse(typeof raw === 'string' ? raw : String(raw));
    } catch {
      this.droppedMessages++;
      return null;
    }
    const parsed = ServerMessageSchema.safeParse(json);
    if (!parsed.success) {
      this.droppedMessages++;
      return null;
    }
    this.apply(parsed.data);
    return parsed.data;
  }

  private apply(message: ServerMessage): void {
    const now = this.opts.nowMs();
    switch (message.eventType) {
      case 'PRODUCT_CACHE_SYNC': {
        const products = this.cache.setData<Product[]>(cacheKeys.catalog, (prev) =>
          applySnapshot(prev, message.payload.products),
        );
        for (const p of products) this.recordStock(p.productId, p.inventory, now);
        return;
      }
      case 'PRODUCT_UPDATE':
        this.cache.setData<Product[]>(cacheKeys.catalog, (prev) => mergeProduct(prev, message.payload));
        this.recordStock(message.payload.productId, message.payload.inventory, now);
        return;
      case 'INVENTORY_ALERT':
        this.cache.setData<AlertEvent[]>(cacheKeys.alerts, (prev) => prependAlert(prev, message.payload));
        return;
      case 'SHOPPING_CART':
        this.cache.setData(cacheKeys.cart, message.payload);
        return;
      case 'ORDER_UPDATE':
        this.cache.setData(cacheKeys.order(message.payload.orderId), message.payload);
        return;
      default: {
        const exhaustive: never = message;
        return exhaustive;
      }
    }
  }

  private recordStock(productId: string, inventory: number, tMs: number): void {
    const key = cacheKeys.stockHistory(productId);
    // Only products someone charts get a history (the product page creates the entry on mount).
    if (this.cache.peek<StockPoint[]>(key) === undefined) return;
    this.cache.setData<StockPoint[]>(key, (prev) => appendStockPoint(prev, { tMs, inventory }));
  }

  private connect(): void {
    this.setStatus(this.attempt === 0 ? 'connecting' : this.attemptStatus());
    let socket: WebSocketLike;
    try {
      socket = this.opts.createSocket(this.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.setStatus('live');
      this.startPing();
    };
    socket.onmessage = (ev) => void this.handleFrame(ev.data);
    socket.onerror = () => {
      // a close event always follows; reconnecting happens there, once
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.clearTimers();
      this.scheduleReconnect();
    };
  }

  private scheduleReconnect(): void {
    if (!this.running) return;
    const delay = backoffDelayMs(this.attempt, this.opts.backoff, this.opts.random);
    this.attempt++;
    this.setStatus(this.attemptStatus());
    this.retryTimer = this.opts.setTimer(() => {
      this.retryTimer = null;
      if (this.running) this.connect();
    }, delay);
  }

  private attemptStatus(): ConnectionStatus {
    return this.attempt >= this.opts.offlineAfterAttempts ? 'offline' : 'reconnecting';
  }

  private startPing(): void {
    const tick = () => {
      if (this.socket?.readyState === OPEN) this.socket.send(JSON.stringify({ type: 'PING' }));
      this.pingTimer = this.opts.setTimer(tick, this.opts.pingIntervalMs);
    };
    this.pingTimer = this.opts.setTimer(tick, this.opts.pingIntervalMs);
  }

  private clearTimers(): void {
    if (this.retryTimer !== null) this.opts.clearTimer(this.retryTimer);
    if (this.pingTimer !== null) this.opts.clearTimer(this.pingTimer);
    this.retryTimer = this.pingTimer = null;
  }

  private setStatus(status: ConnectionStatus): void {
    if (status === this.status) return;
    this.status = status;
    for (const l of [...this.statusListeners]) l();
  }
}

/** ws(s)://<host>/ecommerce/<sessionId>/<userId> for the page's own origin (the dev server proxies it). */
export function liveSocketUrl(
  location: { protocol: string; host: string },
  sessionId: string,
  userId: string,
): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${websocketPath(sessionId, userId)}`;
}

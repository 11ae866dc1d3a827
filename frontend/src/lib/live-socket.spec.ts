import type { Cart, Order, Product } from '@kartshoppe/contracts';
import { alert, cart, frame, order, product } from '../test-support/factories';
import { cacheKeys, type StockPoint } from './cache-keys';
import { LiveSocket, backoffDelayMs, liveSocketUrl, type WebSocketLike } from './live-socket';
import { QueryCache } from './query-cache';

/** A WebSocket stand-in the test drives by hand (unit tier: no server). */
class FakeSocket implements WebSocketLike {
  static all: FakeSocket[] = [];
  readyState = 0;
  onopen: WebSocketLike['onopen'] = null;
  onmessage: WebSocketLike['onmessage'] = null;
  onclose: WebSocketLike['onclose'] = null;
  onerror: WebSocketLike['onerror'] = null;
  sent: string[] = [];
  closed = false;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.closed = true;
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(data: string) {
    this.onmessage?.({ data });
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
}

function setup(options: { random?: () => number; offlineAfterAttempts?: number } = {}) {
  FakeSocket.all = [];
  const cache = new QueryCache(() => 1000);
  const timers: Array<{ fn: () => void; ms: number; cancelled: boolean }> = [];
  const socket = new LiveSocket('ws://shop/ecommerce/s/u', cache, {
    createSocket: (url) => new FakeSocket(url),
    random: options.random ?? (() => 0.5),
    nowMs: () => 5000,
    offlineAfterAttempts: options.offlineAfterAttempts ?? 3,
    setTimer: (fn, ms) => {
      const t = { fn, ms, cancelled: false };
      timers.push(t);
      return t;
    },
    clearTimer: (t) => {
      (t as { cancelled: boolean }).cancelled = true;
    },
  });
  const fireRetry = () => {
    const t = timers.filter((x) => !x.cancelled && x.ms !== 25_000).pop();
    if (!t) throw new Error('no retry scheduled');
    t.cancelled = true;
    t.fn();
    return t.ms;
  };
  const last = () => FakeSocket.all[FakeSocket.all.length - 1];
  return { cache, socket, timers, fireRetry, last };
}

describe('backoffDelayMs', () => {
  it.each([
    [0, 0, 250],
    [0, 1, 500],
    [1, 0, 500],
    [3, 1, 4000],
    [5, 0.5, 11_250], // 16 000 capped to 15 000: half fixed + half of the rest
    [6, 1, 15_000], // capped
    [50, 0, 7500], // capped, never overflows
  ])('attempt %i with random %f waits %i ms', (attempt, random, expected) => {
    expect(backoffDelayMs(attempt, { baseMs: 500, capMs: 15_000 }, () => random)).toBe(expected);
  });
});

describe('LiveSocket', () => {
  it('connects once even when started twice (StrictMode double effect, F-REL-6)', () => {
    const { socket } = setup();
    socket.start();
    socket.start();
    expect(FakeSocket.all).toHaveLength(1);
    expect(socket.getStatus()).toBe('connecting');
  });

  it('applies the PRODUCT_CACHE_SYNC snapshot by replacing the catalog, not appending it (F-FE-3)', () => {
    const { socket, cache, last } = setup();
    cache.setData<Product[]>(cacheKeys.catalog, [product({ productId: 'GONE' })]);
    socket.start();
    last().open();
    last().receive(
      frame('PRODUCT_CACHE_SYNC', {
        products: [product(), product({ productId: 'PROD_0002', name: 'Lamp' })],
      }),
    );
    expect(cache.peek<Product[]>(cacheKeys.catalog)!.map((p) => p.productId)).toEqual([
      'PROD_0001',
      'PROD_0002',
    ]);
    expect(socket.getStatus()).toBe('live');
  });

  it('merges a PRODUCT_UPDATE into the REST-loaded catalog and ignores an older version', () => {
    const { socket, cache, last } = setup();
    cache.setData<Product[]>(cacheKeys.catalog, [product({ inventory: 25, version: 3 })]);
    socket.start();
    last().open();
    last().receive(frame('PRODUCT_UPDATE', product({ inventory: 22, version: 4 })));
    expect(cache.peek<Product[]>(cacheKeys.catalog)![0].inventory).toBe(22);
    last().receive(frame('PRODUCT_UPDATE', product({ inventory: 25, version: 3 })));
    expect(cache.peek<Product[]>(cacheKeys.catalog)![0].inventory).toBe(22);
    last().receive(frame('PRODUCT_UPDATE', product({ productId: 'NEW_1', version: 1 })));
    expect(cache.peek<Product[]>(cacheKeys.catalog)).toHaveLength(2);
  });

  it('appends stock points for a charted product only', () => {
    const { socket, cache, last } = setup();
    cache.setData<StockPoint[]>(cacheKeys.stockHistory('PROD_0001'), [{ tMs: 1, inventory: 25 }]);
    socket.start();
    last().open();
    last().receive(frame('PRODUCT_UPDATE', product({ inventory: 22, version: 2 })));
    last().receive(frame('PRODUCT_UPDATE', product({ productId: 'PROD_0002', inventory: 5, version: 2 })));
    expect(cache.peek<StockPoint[]>(cacheKeys.stockHistory('PROD_0001'))).toEqual([
      { tMs: 1, inventory: 25 },
      { tMs: 5000, inventory: 22 },
    ]);
    expect(cache.peek(cacheKeys.stockHistory('PROD_0002'))).toBeUndefined();
  });

  it('writes alerts (once per alertId), the cart and order updates into their cache entries', () => {
    const { socket, cache, last } = setup();
    socket.start();
    last().open();
    last().receive(frame('INVENTORY_ALERT', alert()));
    last().receive(frame('INVENTORY_ALERT', alert()));
    last().receive(
      frame('INVENTORY_ALERT', alert({ alertId: 'PROD_0001:6:OUT_OF_STOCK', alertType: 'OUT_OF_STOCK' })),
    );
    last().receive(frame('SHOPPING_CART', cart([{ productId: 'PROD_0001', price: 10, quantity: 2 }])));
    last().receive(frame('ORDER_UPDATE', order({ status: 'CONFIRMED' })));
    expect(
      cache.peek<unknown[]>(cacheKeys.alerts)!.map((a) => (a as { alertType: string }).alertType),
    ).toEqual(['OUT_OF_STOCK', 'LOW_STOCK']);
    expect(cache.peek<Cart>(cacheKeys.cart)!.itemCount).toBe(2);
    expect(cache.peek<Order>(cacheKeys.order('ORD_1'))!.status).toBe('CONFIRMED');
  });

  it('drops frames that are not JSON or not a valid message, without throwing', () => {
    const { socket, cache, last } = setup();
    socket.start();
    last().open();
    last().receive('not json');
    last().receive(
      JSON.stringify({ eventType: 'PRODUCT_UPDATE', key: null, timestamp: 1, payload: { products: [] } }),
    );
    last().receive(JSON.stringify({ eventType: 'ONLINE_USERS', key: null, timestamp: 1, payload: {} }));
    expect(socket.droppedMessages).toBe(3);
    expect(cache.peek(cacheKeys.catalog)).toBeUndefined();
  });

  it('reconnects with growing, capped delays, says Offline after repeated failures, and resets after success', () => {
    const { socket, last, fireRetry } = setup({ random: () => 1, offlineAfterAttempts: 3 });
    socket.start();
    last().drop();
    expect(socket.getStatus()).toBe('reconnecting');
    const delays = [fireRetry()];
    for (let i = 0; i < 6; i++) {
      last().drop();
      delays.push(fireRetry());
    }
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 15_000, 15_000]);
    last().drop();
    expect(socket.getStatus()).toBe('offline');
    fireRetry();
    last().open();
    expect(socket.getStatus()).toBe('live');
    last().drop();
    expect(fireRetry()).toBe(500);
  });

  it('gets a fresh snapshot after a reconnect, so changes made while disconnected show (F-FE-4)', () => {
    const { socket, cache, last, fireRetry } = setup();
    socket.start();
    last().open();
    last().receive(frame('PRODUCT_CACHE_SYNC', { products: [product({ inventory: 25, version: 1 })] }));
    last().drop();
    fireRetry();
    last().open();
    last().receive(frame('PRODUCT_CACHE_SYNC', { products: [product({ inventory: 10, version: 7 })] }));
    expect(cache.peek<Product[]>(cacheKeys.catalog)![0].inventory).toBe(10);
  });

  it('stop() closes the socket, cancels retries and ignores late events', () => {
    const { socket, last, timers } = setup();
    socket.start();
    last().open();
    const s = last();
    socket.stop();
    expect(s.closed).toBe(true);
    expect(socket.getStatus()).toBe('offline');
    expect(timers.every((t) => t.cancelled)).toBe(true);
    s.drop();
    expect(FakeSocket.all).toHaveLength(1);
    socket.stop();
  });

  it('closes a still-connecting socket only once it opens (no browser error on StrictMode unmount)', () => {
    const { socket, last } = setup();
    socket.start();
    const s = last();
    socket.stop();
    expect(s.closed).toBe(false);
    s.open();
    expect(s.closed).toBe(true);
  });

  it('builds ws/wss URLs on the page origin', () => {
    expect(liveSocketUrl({ protocol: 'http:', host: '127.0.0.1:8081' }, 'session_1_a', 'user_1')).toBe(
      'ws://127.0.0.1:8081/ecommerce/session_1_a/user_1',
    );
    expect(liveSocketUrl({ protocol: 'https:', host: 'shop.example' }, 's', 'u')).toBe(
      'wss://shop.example/ecommerce/s/u',
    );
  });
});

/** Data factories for the frontend tests (shapes from contracts). */
import type { AlertEvent, Cart, Order, Product, ServerMessage } from '@kartshoppe/contracts';

export function product(over: Partial<Product> = {}): Product {
  return {
    productId: 'PROD_0001',
    name: 'Trail Runner Shoes',
    description: 'Lightweight running shoes',
    category: 'Sports',
    brand: 'Stride',
    price: 89.99,
    inventory: 25,
    imageUrl: 'https://example.invalid/shoe.jpg',
    tags: ['running', 'outdoor'],
    rating: 4.5,
    reviewCount: 120,
    version: 1,
    ...over,
  };
}

export function cart(
  lines: Array<{ productId: string; price: number; quantity: number; productName?: string }> = [],
  sessionId = 'session_1_abc',
): Cart {
  const items = lines.map((l) => ({
    productId: l.productId,
    productName: l.productName ?? `Product ${l.productId}`,
    price: l.price,
    quantity: l.quantity,
    imageUrl: '',
    subtotal: Math.round(l.price * 100 * l.quantity) / 100,
  }));
  return {
    sessionId,
    items,
    totalAmount: items.reduce((s, l) => s + l.subtotal, 0),
    itemCount: items.reduce((n, l) => n + l.quantity, 0),
    updatedAt: 1,
  };
}

export function order(over: Partial<Order> = {}): Order {
  return {
    orderId: 'ORD_1',
    sessionId: 'session_1_abc',
    userId: 'user_1',
    status: 'PENDING',
    publishMode: 'direct',
    published: true,
    items: [
      {
        productId: 'PROD_0001',
        productName: 'Trail Runner Shoes',
        unitPrice: 89.99,
        quantity: 3,
        lineTotal: 269.97,
        status: 'PENDING',
        reason: null,
      },
      {
        productId: 'PROD_0002',
        productName: 'Desk Lamp',
        unitPrice: 20,
        quantity: 1,
        lineTotal: 20,
        status: 'PENDING',
        reason: null,
      },
    ],
    subtotal: 289.97,
    tax: 23.2,
    shipping: 5.99,
    totalAmount: 319.16,
    paymentMethod: 'credit_card',
    shippingAddress: null,
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_000,
    ...over,
  };
}

export function alert(over: Partial<AlertEvent> = {}): AlertEvent {
  return {
    alertId: 'PROD_0001:5:LOW_STOCK',
    alertType: 'LOW_STOCK',
    productId: 'PROD_0001',
    productName: 'Trail Runner Shoes',
    message: 'Only 4 left',
    severity: 'CRITICAL',
    currentInventory: 4,
    timestamp: 1_700_000_000_000,
    ...over,
  };
}

export function frame<T extends ServerMessage['eventType']>(
  eventType: T,
  payload: Extract<ServerMessage, { eventType: T }>['payload'],
  key: string | null = null,
): string {
  return JSON.stringify({ eventType, key, timestamp: 1_700_000_000_000, payload });
}

/** A fetch stand-in: answers by "METHOD path" and records every call. */
export function fakeFetch(
  routes: Record<string, (body: unknown, url: string) => { status?: number; body?: unknown }>,
) {
  const calls: Array<{ method: string; url: string; body: unknown }> = [];
  const impl = async (url: string, init?: RequestInit) => {
    const method = init?.method ?? 'GET';
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    calls.push({ method, url, body });
    const path = url.split('?')[0];
    const handler = routes[`${method} ${path}`];
    if (!handler) {
      return response(404, { statusCode: 404, error: 'Not Found', message: `no route ${method} ${path}` });
    }
    const res = handler(body, url);
    return response(res.status ?? 200, res.body);
  };
  return { impl, calls };
}

/** The part of a fetch Response the API client reads (jsdom has no Response class). */
function response(status: number, body: unknown): Response {
  const text = body === undefined ? '' : JSON.stringify(body);
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: '',
    text: async () => text,
  } as unknown as Response;
}

import {
  AlertEventSchema,
  CdcEnvelopeSchema,
  CheckoutRequestSchema,
  CO_PARTITIONED_TOPICS,
  InventoryEventSchema,
  OrderItemEventSchema,
  OrderItemStatusSchema,
  ProductPatchSchema,
  ProductSchema,
  ServerMessageSchema,
  TOPIC_SPECS,
  TOPICS,
  deadLetterHeaders,
  DeadLetterHeadersSchema,
  orderItemEventId,
  parseJsonWith,
  serverMessage,
  CartAddRequestSchema,
} from './index';

// The original's example Product JSON for PROD_0001 (reference §3.2.1), accepted as is.
const originalProd0001 = {
  productId: 'PROD_0001',
  name: 'FutureTech UltraBook Pro 15',
  description: 'High-performance laptop with Intel i9, 32GB RAM, 1TB SSD. Premium quality from FutureTech.',
  price: 1899.99,
  category: 'Electronics',
  brand: 'FutureTech',
  imageUrl: 'https://picsum.photos/400/300?random=1',
  inventory: 10,
  tags: ['laptop', 'computer', 'productivity', 'futuretech', 'electronics'],
  rating: 4.5,
  reviewCount: 49,
};

describe('topics', () => {
  it('defines every DESIGN §3 topic once, with the workshop names', () => {
    expect(TOPIC_SPECS.map((t) => t.name).sort()).toEqual(Object.values(TOPICS).sort());
    expect(new Set(TOPIC_SPECS.map((t) => t.name)).size).toBe(TOPIC_SPECS.length);
    expect(TOPICS.websocketFanout).toBe('websocket_fanout');
  });
  it('co-partitions exactly the processor inputs and compacts state topics', () => {
    expect([...CO_PARTITIONED_TOPICS].sort()).toEqual(['order-events', 'product-updates']);
    expect(
      TOPIC_SPECS.filter((t) => t.compacted)
        .map((t) => t.name)
        .sort(),
    ).toEqual(['inventory-processor-inventory-store-changelog', 'products']);
  });
});

describe('Product', () => {
  it("accepts the original's PROD_0001 JSON", () => {
    expect(ProductSchema.parse(originalProd0001)).toMatchObject(originalProd0001);
  });
  it.each([
    ['missing name (F-FL-4 crashed the original)', { ...originalProd0001, name: undefined }, 'name'],
    ['negative inventory', { ...originalProd0001, inventory: -1 }, 'inventory'],
    ['fractional inventory', { ...originalProd0001, inventory: 1.5 }, 'inventory'],
    ['negative price', { ...originalProd0001, price: -3 }, 'price'],
    ['price with three decimals', { ...originalProd0001, price: 1.005 }, 'price'],
    ['empty productId', { ...originalProd0001, productId: '' }, 'productId'],
    ['rating above 5', { ...originalProd0001, rating: 7 }, 'rating'],
    ['string price', { ...originalProd0001, price: '19.99' }, 'price'],
  ])('rejects %s', (_label, value, field) => {
    const r = ProductSchema.safeParse(value);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path[0])).toContain(field);
  });
  it('accepts a patch with only productId and inventory (F-U-6)', () => {
    expect(ProductPatchSchema.parse({ productId: 'PROD_0001', inventory: 10 })).toEqual({
      productId: 'PROD_0001',
      inventory: 10,
    });
  });
});

describe('OrderItemEvent', () => {
  const valid = {
    eventId: orderItemEventId('o-1', 'PROD_0001'),
    orderId: 'o-1',
    productId: 'PROD_0001',
    quantity: 3,
    timestamp: 1_700_000_000_000,
    source: 'api',
  };
  it('accepts a direct-publish event and builds a stable eventId', () => {
    expect(OrderItemEventSchema.parse(valid).eventId).toBe('o-1:PROD_0001');
  });
  it.each([
    ['zero quantity', { ...valid, quantity: 0 }],
    ['negative quantity', { ...valid, quantity: -2 }],
    ['absurd quantity', { ...valid, quantity: 1_000_000 }],
    ['unknown source', { ...valid, source: 'kafka' }],
    ['eventId not built from orderId:productId', { ...valid, eventId: 'x:y' }],
    ['missing orderId', { ...valid, orderId: undefined }],
  ])('rejects %s', (_label, value) => {
    expect(OrderItemEventSchema.safeParse(value).success).toBe(false);
  });
});

describe('InventoryEvent, AlertEvent, OrderItemStatus', () => {
  it('requires current prices on every event, STALE_INVENTORY too (F-RM-1)', () => {
    const stale = {
      productId: 'PROD_0001',
      productName: 'FutureTech UltraBook Pro 15',
      eventType: 'STALE_INVENTORY',
      previousInventory: 7,
      currentInventory: 7,
      previousPrice: 1899.99,
      changeReason: 'No updates for 1.0 hours',
      timestamp: 1,
      version: 3,
    };
    expect(InventoryEventSchema.safeParse(stale).success).toBe(false);
    expect(InventoryEventSchema.safeParse({ ...stale, currentPrice: 1899.99 }).success).toBe(true);
  });
  it('validates alerts and statuses', () => {
    expect(
      AlertEventSchema.safeParse({
        alertId: 'PROD_0001:2:LOW_STOCK',
        alertType: 'LOW_STOCK',
        productId: 'PROD_0001',
        productName: 'X',
        message: 'Low stock: only 7 items remaining',
        severity: 'WARNING',
        currentInventory: 7,
        timestamp: 1,
      }).success,
    ).toBe(true);
    expect(AlertEventSchema.safeParse({ alertType: 'LOW_STOCK', severity: 'LOUD' }).success).toBe(false);
    const status = {
      orderId: 'o-1',
      productId: 'PROD_0001',
      eventId: 'o-1:PROD_0001',
      status: 'REJECTED',
      reason: 'INSUFFICIENT_STOCK',
      quantity: 5,
      remainingInventory: 3,
      timestamp: 1,
    };
    expect(OrderItemStatusSchema.safeParse(status).success).toBe(true);
    expect(OrderItemStatusSchema.safeParse({ ...status, status: 'MAYBE' }).success).toBe(false);
  });
});

describe('CDC envelope and dead letters', () => {
  it('accepts a Debezium-style insert envelope with exact numeric strings', () => {
    const env = {
      before: null,
      after: {
        order_item_id: '1',
        order_id: 'o-1',
        product_id: 'PROD_0001',
        quantity: 3,
        unit_price: '1899.99',
      },
      source: {
        connector: 'kartshoppe-cdc-worker',
        lsn: '0/16B3748',
        txId: 731,
        schema: 'public',
        table: 'order_items',
        ts_ms: 1,
      },
      op: 'c',
      ts_ms: 2,
    };
    expect(CdcEnvelopeSchema.parse(env).after?.unit_price).toBe('1899.99');
    expect(CdcEnvelopeSchema.safeParse({ ...env, op: 'x' }).success).toBe(false);
    expect(CdcEnvelopeSchema.safeParse({ ...env, source: { ...env.source, lsn: 'nope' } }).success).toBe(
      false,
    );
  });
  it('builds dead-letter headers that name the origin', () => {
    const h = deadLetterHeaders(
      { topic: 'order-events', partition: 2, offset: '41' },
      'bad',
      'inventory-processor',
      5,
    );
    expect(DeadLetterHeadersSchema.parse(h)['dlq.origin.offset']).toBe('41');
  });
});

describe('HTTP payloads', () => {
  it('names unknown fields and wrong types', () => {
    const r = parseJsonWith(
      CheckoutRequestSchema,
      JSON.stringify({ sessionId: 's1', useCdc: 'yes', coupon: 'X' }),
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.fields.map((f) => f.path).sort()).toEqual(['coupon', 'useCdc']);
  });
  it('reports malformed JSON without throwing', () => {
    const r = parseJsonWith(CartAddRequestSchema, '{"productId":');
    expect(r).toMatchObject({ ok: false });
    if (!r.ok) expect(r.error).toMatch(/malformed JSON/);
  });
  it('defaults useCdc to false and paymentMethod to credit_card', () => {
    expect(CheckoutRequestSchema.parse({ sessionId: 's1' })).toMatchObject({
      useCdc: false,
      paymentMethod: 'credit_card',
    });
  });
  it.each([[0], [-1], [1.5], [5000]])('refuses cart quantity %p', (quantity) => {
    expect(CartAddRequestSchema.safeParse({ productId: 'PROD_0001', quantity }).success).toBe(false);
  });
});

describe('WebSocket messages', () => {
  it('round-trips a typed PRODUCT_UPDATE and refuses the original phantom sync (F-FE-3)', () => {
    const msg = serverMessage('PRODUCT_UPDATE', ProductSchema.parse(originalProd0001), 'PROD_0001', 1);
    expect(ServerMessageSchema.parse(msg)).toEqual(msg);
    const phantom = {
      eventType: 'PRODUCT_UPDATE',
      key: null,
      timestamp: 1,
      payload: { products: [], timestamp: 1 },
    };
    expect(ServerMessageSchema.safeParse(phantom).success).toBe(false);
  });
});

import { OrderItemEventSchema, type Product } from '@kartshoppe/contracts';
import { decideCheckout, orderItemEvents } from './checkout.rules';

const product = (productId: string, price: number): Product => ({
  productId,
  name: `Name ${productId}`,
  description: '',
  category: 'c',
  brand: '',
  price,
  inventory: 0,
  imageUrl: '',
  tags: [],
  rating: 0,
  reviewCount: 0,
});
const catalog = new Map([
  ['PROD_0001', product('PROD_0001', 1899.99)],
  ['PROD_0002', product('PROD_0002', 19.99)],
]);
const lookup = (id: string) => catalog.get(id);

describe('decideCheckout', () => {
  it.each([
    ['empty cart', [], { ok: false, reason: 'EMPTY_CART' }],
    [
      'one unknown product named',
      [{ productId: 'NOPE', quantity: 1 }],
      { ok: false, reason: 'UNKNOWN_PRODUCTS', productIds: ['NOPE'] },
    ],
    [
      'every unknown product named, known ones ignored',
      [
        { productId: 'PROD_0001', quantity: 1 },
        { productId: 'X1', quantity: 1 },
        { productId: 'X2', quantity: 2 },
      ],
      { ok: false, reason: 'UNKNOWN_PRODUCTS', productIds: ['X1', 'X2'] },
    ],
  ])('%s', (_name, cart, expected) => expect(decideCheckout(cart, lookup)).toEqual(expected));

  it('prices from the read model (out-of-stock products are allowed: the processor decides)', () => {
    const d = decideCheckout(
      [
        { productId: 'PROD_0002', quantity: 2 },
        { productId: 'PROD_0001', quantity: 3 },
      ],
      lookup,
    );
    expect(d).toEqual({
      ok: true,
      lines: [
        {
          productId: 'PROD_0001',
          productName: 'Name PROD_0001',
          unitPriceCents: 189999,
          quantity: 3,
          lineTotalCents: 569997,
        },
        {
          productId: 'PROD_0002',
          productName: 'Name PROD_0002',
          unitPriceCents: 1999,
          quantity: 2,
          lineTotalCents: 3998,
        },
      ],
      totals: {
        lineTotalsCents: [569997, 3998],
        subtotalCents: 573995,
        taxCents: 45920,
        shippingCents: 599,
        totalCents: 620514,
      },
    });
  });
});

describe('orderItemEvents', () => {
  it('one valid event per line with eventId orderId:productId and source api', () => {
    const events = orderItemEvents(
      'o-1',
      [
        { productId: 'PROD_0001', quantity: 3 },
        { productId: 'PROD_0002', quantity: 1 },
      ],
      42,
    );
    expect(events.map((e) => e.eventId)).toEqual(['o-1:PROD_0001', 'o-1:PROD_0002']);
    for (const e of events) expect(OrderItemEventSchema.parse(e)).toEqual(e);
    expect(events[0]).toMatchObject({ source: 'api', timestamp: 42, quantity: 3 });
  });
});

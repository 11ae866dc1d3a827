import { act, fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import type { Order } from '@kartshoppe/contracts';
import { setFetch } from '../../../lib/api-client';
import { cacheKeys } from '../../../lib/cache-keys';
import { QueryCache, QueryCacheContext } from '../../../lib/query-cache';
import { cart, fakeFetch, order } from '../../../test-support/factories';
import { CheckoutPage } from './checkout-page';

function renderCheckout(routes: Parameters<typeof fakeFetch>[0]) {
  const fetch = fakeFetch(routes);
  setFetch(fetch.impl);
  const cache = new QueryCache();
  const c = cart([{ productId: 'PROD_0001', price: 10, quantity: 3 }]);
  cache.setData(cacheKeys.cart, c);
  const placed: Order[] = [];
  render(
    <QueryCacheContext.Provider value={cache}>
      <MemoryRouter>
        <CheckoutPage cart={c} sessionId="session_1_abc" userId="user_1" onPlaced={(o) => placed.push(o)} />
      </MemoryRouter>
    </QueryCacheContext.Provider>,
  );
  const fill = () => {
    for (const [name, value] of Object.entries({
      name: 'Ada',
      street: '1 Main St',
      city: 'Springfield',
      state: 'IL',
      zipCode: '62701',
    })) {
      fireEvent.change(document.querySelector(`input[name="${name}"]`)!, { target: { value } });
    }
  };
  return { calls: fetch.calls, placed, cache, fill };
}

describe('CheckoutPage', () => {
  it('sends the address, payment method, useCdc and an idempotency key; the placed order is cached', async () => {
    const { calls, placed, cache, fill } = renderCheckout({
      'POST /api/ecommerce/checkout': () => ({ status: 201, body: order({ publishMode: 'cdc' }) }),
    });
    fill();
    fireEvent.change(document.querySelector('select[name="paymentMethod"]')!, {
      target: { value: 'paypal' },
    });
    fireEvent.click(screen.getByLabelText('Use CDC'));
    await act(async () => fireEvent.click(screen.getByTestId('place-order')));
    expect(calls[0].body).toMatchObject({
      sessionId: 'session_1_abc',
      userId: 'user_1',
      shippingAddress: {
        name: 'Ada',
        street: '1 Main St',
        city: 'Springfield',
        state: 'IL',
        zipCode: '62701',
        country: 'USA',
      },
      paymentMethod: 'paypal',
      useCdc: true,
    });
    expect((calls[0].body as { idempotencyKey: string }).idempotencyKey.length).toBeGreaterThanOrEqual(8);
    expect(placed.map((o) => o.orderId)).toEqual(['ORD_1']);
    expect(cache.peek(cacheKeys.order('ORD_1'))).toBeDefined();
    expect(cache.peek(cacheKeys.cart)).toBeUndefined();
  });

  it('shows a failed checkout as a failure and keeps the cart, never a fake confirmation (F-FE-1)', async () => {
    const { placed, cache, fill, calls } = renderCheckout({
      'POST /api/ecommerce/checkout': () => ({
        status: 400,
        body: {
          statusCode: 400,
          error: 'Bad Request',
          message: 'cart is empty',
          fields: [{ path: 'sessionId', message: 'no cart for this session' }],
        },
      }),
    });
    fill();
    await act(async () => fireEvent.click(screen.getByTestId('place-order')));
    const alert = screen.getByRole('alert').textContent!;
    expect(alert).toContain('Your order was NOT placed');
    expect(alert).toContain('no cart for this session');
    expect(screen.queryByText(/confirmed/i)).toBeNull();
    expect(placed).toEqual([]);
    expect(cache.peek(cacheKeys.cart)).toBeDefined();
    // retrying the same form reuses the idempotency key: a lost answer cannot create two orders
    await act(async () => fireEvent.click(screen.getByTestId('place-order')));
    expect((calls[1].body as { idempotencyKey: string }).idempotencyKey).toBe(
      (calls[0].body as { idempotencyKey: string }).idempotencyKey,
    );
  });

  it('asks for no card number or CVV (F-SEC-5) and explains the CDC switch', () => {
    renderCheckout({});
    expect(screen.queryByLabelText(/card number|cvv/i)).toBeNull();
    expect(
      screen.getByText(
        'Let the CDC worker capture this order from the database log instead of the API publishing it to Kafka',
      ),
    ).toBeTruthy();
    expect((document.getElementById('useCdc') as HTMLInputElement).checked).toBe(false);
    expect(screen.getByTestId('checkout-totals').textContent).toContain('$38.39'); // 30 + 2.40 + 5.99
  });
});

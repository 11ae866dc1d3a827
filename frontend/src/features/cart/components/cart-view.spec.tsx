import { act, fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import type { Cart } from '@kartshoppe/contracts';
import { setFetch } from '../../../lib/api-client';
import { cacheKeys } from '../../../lib/cache-keys';
import { QueryCache, QueryCacheContext } from '../../../lib/query-cache';
import { cart, fakeFetch } from '../../../test-support/factories';
import { CartView } from './cart-view';

const SESSION = 'session_1_abc';
const base = `/api/ecommerce/cart/${SESSION}`;

function renderCart(initial: Cart, routes: Parameters<typeof fakeFetch>[0]) {
  sessionStorage.setItem('sessionId', SESSION);
  const cache = new QueryCache();
  cache.setData(cacheKeys.cart, initial);
  const fetch = fakeFetch(routes);
  setFetch(fetch.impl);
  render(
    <QueryCacheContext.Provider value={cache}>
      <MemoryRouter>
        <CartView stockOf={() => 4} />
      </MemoryRouter>
    </QueryCacheContext.Provider>,
  );
  return { cache, calls: fetch.calls };
}

const twoLines = cart([
  { productId: 'PROD_0001', price: 10, quantity: 2, productName: 'Shoes' },
  { productId: 'PROD_0002', price: 5, quantity: 1, productName: 'Lamp' },
]);

describe('CartView', () => {
  it('removing a line deletes it on the server and shows the server cart (F-C-4)', async () => {
    const after = cart([{ productId: 'PROD_0001', price: 10, quantity: 2, productName: 'Shoes' }]);
    const { calls, cache } = renderCart(twoLines, {
      [`DELETE ${base}/items/PROD_0002`]: () => ({ body: after }),
    });
    await act(async () => fireEvent.click(screen.getAllByText('Remove')[1]));
    expect(calls).toEqual([{ method: 'DELETE', url: `${base}/items/PROD_0002`, body: undefined }]);
    expect(screen.queryByText('Lamp')).toBeNull();
    expect(cache.peek<Cart>(cacheKeys.cart)!.itemCount).toBe(2);
  });

  it('+ sets the new quantity on the server; + is disabled at the stock level', async () => {
    const after = cart([
      { productId: 'PROD_0001', price: 10, quantity: 3, productName: 'Shoes' },
      { productId: 'PROD_0002', price: 5, quantity: 1, productName: 'Lamp' },
    ]);
    const { calls } = renderCart(twoLines, { [`POST ${base}/add`]: () => ({ body: after }) });
    await act(async () => fireEvent.click(screen.getByLabelText('One more Shoes')));
    expect(calls[0]).toMatchObject({ method: 'POST', body: { productId: 'PROD_0001', quantity: 3 } });
    expect(screen.getByTestId('line-qty-PROD_0001').textContent).toBe('3');
  });

  it('− on a single item removes the line on the server', async () => {
    const after = cart([{ productId: 'PROD_0001', price: 10, quantity: 2, productName: 'Shoes' }]);
    const { calls } = renderCart(twoLines, { [`DELETE ${base}/items/PROD_0002`]: () => ({ body: after }) });
    await act(async () => fireEvent.click(screen.getByLabelText('One less Lamp')));
    expect(calls.map((c) => c.method)).toEqual(['DELETE']);
  });

  it('shows the server’s error and keeps the cart as it was when a change fails', async () => {
    renderCart(twoLines, {
      [`DELETE ${base}`]: () => ({
        status: 503,
        body: {
          statusCode: 503,
          error: 'Service Unavailable',
          message: 'database unavailable',
          dependency: 'postgres',
        },
      }),
    });
    await act(async () => fireEvent.click(screen.getByText('Clear cart')));
    expect(screen.getByRole('alert').textContent).toContain('database unavailable');
    expect(screen.getByRole('alert').textContent).toContain('postgres');
    expect(screen.getByText('Lamp')).toBeTruthy();
  });

  it('shows the server totals rule: 8 % tax and 5.99 shipping, no free-shipping promise (F-API-5)', () => {
    renderCart(twoLines, {});
    expect(screen.getByTestId('total').textContent).toBe('$32.99'); // 25 + 2.00 tax + 5.99 shipping
    expect(screen.queryByText(/free/i)).toBeNull();
  });
});

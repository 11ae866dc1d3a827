import { act, fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import type { Product } from '@kartshoppe/contracts';
import { setFetch } from '../../../lib/api-client';
import { cacheKeys } from '../../../lib/cache-keys';
import { LiveSocket } from '../../../lib/live-socket';
import { QueryCache, QueryCacheContext } from '../../../lib/query-cache';
import { fakeFetch, frame, product } from '../../../test-support/factories';
import { ProductsPage } from './products-page';

function renderShop(cache: QueryCache, initialUrl = '/products') {
  return render(
    <QueryCacheContext.Provider value={cache}>
      <MemoryRouter initialEntries={[initialUrl]}>
        <ProductsPage renderActions={(p) => <button disabled={p.inventory <= 0}>Add {p.productId}</button>} />
      </MemoryRouter>
    </QueryCacheContext.Provider>,
  );
}

describe('ProductsPage', () => {
  it('explains an empty shop and how to fill it', async () => {
    setFetch(
      fakeFetch({
        'GET /api/ecommerce/inventory/state': () => ({
          body: { products: [], totalProducts: 0, timestamp: 1, categories: [] },
        }),
      }).impl,
    );
    renderShop(new QueryCache());
    expect((await screen.findByTestId('empty-catalog')).textContent).toContain(
      'The shop is empty — start the inventory processor: ./inventory-processor.sh',
    );
  });

  it('updates the stock badge live, without a refresh, when a PRODUCT_UPDATE arrives', () => {
    const cache = new QueryCache();
    cache.setData<Product[]>(cacheKeys.catalog, [product({ inventory: 12, version: 1 })]);
    setFetch(fakeFetch({}).impl);
    renderShop(cache);
    expect(screen.getByTestId('stock-PROD_0001').textContent).toBe('12 in stock');
    const socket = new LiveSocket('ws://x', cache, { createSocket: () => ({}) as never });
    act(() => void socket.handleFrame(frame('PRODUCT_UPDATE', product({ inventory: 9, version: 2 }))));
    expect(screen.getByTestId('stock-PROD_0001').textContent).toBe('Only 9 left!');
    act(() => void socket.handleFrame(frame('PRODUCT_UPDATE', product({ inventory: 0, version: 3 }))));
    expect(screen.getByTestId('stock-PROD_0001').textContent).toBe('Out of stock');
    expect((screen.getByText('Add PROD_0001') as HTMLButtonElement).disabled).toBe(true);
  });

  it('filters by category and search from the URL and the search box', () => {
    const cache = new QueryCache();
    cache.setData<Product[]>(cacheKeys.catalog, [
      product({ productId: 'A', name: 'Trail Shoes', category: 'Sports' }),
      product({ productId: 'B', name: 'Desk Lamp', category: 'Home', tags: ['illumination'] }),
    ]);
    setFetch(fakeFetch({}).impl);
    renderShop(cache, '/products?category=Home');
    expect(screen.getByTestId('showing-count').textContent).toBe('Showing 1 of 2 products');
    fireEvent.click(screen.getByText('All (2)'));
    fireEvent.change(screen.getByLabelText('Search products'), { target: { value: 'illumin' } });
    fireEvent.click(screen.getByText('Search'));
    expect(screen.getByTestId('showing-count').textContent).toBe('Showing 1 of 2 products');
    expect(screen.getByText('Desk Lamp')).toBeTruthy();
  });

  it('shows a placeholder image with alt text when the image fails to load', () => {
    const cache = new QueryCache();
    cache.setData<Product[]>(cacheKeys.catalog, [product()]);
    setFetch(fakeFetch({}).impl);
    renderShop(cache);
    const img = screen.getByAltText('Trail Runner Shoes') as HTMLImageElement;
    expect(img.src).toBe('https://example.invalid/shoe.jpg');
    fireEvent.error(img);
    expect(img.src.startsWith('data:image/svg+xml')).toBe(true);
  });

  it('shows the API error when the catalog cannot load', async () => {
    setFetch(
      fakeFetch({
        'GET /api/ecommerce/inventory/state': () => ({
          status: 503,
          body: {
            statusCode: 503,
            error: 'Service Unavailable',
            message: 'read model not warm',
            dependency: 'kafka',
          },
        }),
      }).impl,
    );
    renderShop(new QueryCache());
    expect((await screen.findByRole('alert')).textContent).toContain('read model not warm');
  });
});

import { act, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { setFetch } from '../../../lib/api-client';
import { cacheKeys } from '../../../lib/cache-keys';
import { LiveSocket } from '../../../lib/live-socket';
import { QueryCache, QueryCacheContext } from '../../../lib/query-cache';
import { fakeFetch, frame, order } from '../../../test-support/factories';
import { OrderPage } from './order-page';
import { OrderStatusView } from './order-status-view';

function renderView(o = order()) {
  return render(
    <MemoryRouter>
      <OrderStatusView order={o} />
    </MemoryRouter>,
  );
}

describe('OrderStatusView', () => {
  it.each([
    ['PENDING', 'Order received — reserving stock…'],
    ['CONFIRMED', 'Order confirmed'],
    ['PARTIALLY_CONFIRMED', 'Order partially confirmed'],
    ['REJECTED', 'Order rejected'],
  ] as const)('%s reads "%s"', (status, title) => {
    renderView(order({ status }));
    expect(screen.getByTestId('order-status').textContent).toBe(status);
    expect(screen.getByText(title)).toBeTruthy();
  });

  it('shows each line’s own status and the rejection reason', () => {
    const o = order({ status: 'PARTIALLY_CONFIRMED' });
    o.items = [
      { ...o.items[0], status: 'RESERVED' },
      { ...o.items[1], status: 'REJECTED', reason: 'INSUFFICIENT_STOCK' },
    ];
    renderView(o);
    expect(screen.getByTestId('order-line-PROD_0001').textContent).toContain('Reserved');
    expect(screen.getByTestId('order-line-PROD_0002').textContent).toContain('Rejected: not enough stock');
    expect(screen.getByText('1 of 2 items could not be reserved.')).toBeTruthy();
  });

  it('explains an order that waits for Kafka instead of pretending it was published', () => {
    renderView(order({ published: false }));
    expect(screen.getByText(/waiting for Kafka/)).toBeTruthy();
  });
});

describe('OrderPage', () => {
  it('moves from PENDING to CONFIRMED when an ORDER_UPDATE arrives on the socket', () => {
    const cache = new QueryCache();
    cache.setData(cacheKeys.order('ORD_1'), order());
    setFetch(fakeFetch({}).impl);
    const socket = new LiveSocket('ws://x', cache, { createSocket: () => ({}) as never });
    render(
      <QueryCacheContext.Provider value={cache}>
        <MemoryRouter>
          <OrderPage orderId="ORD_1" />
        </MemoryRouter>
      </QueryCacheContext.Provider>,
    );
    expect(screen.getByTestId('order-status').textContent).toBe('PENDING');
    const confirmed = order({ status: 'CONFIRMED' });
    confirmed.items = confirmed.items.map((l) => ({ ...l, status: 'RESERVED' as const }));
    act(() => void socket.handleFrame(frame('ORDER_UPDATE', confirmed)));
    expect(screen.getByTestId('order-status').textContent).toBe('CONFIRMED');
    expect(screen.getByTestId('order-line-PROD_0002').getAttribute('data-status')).toBe('RESERVED');
  });

  it('polls the order while PENDING (socket down) and stops once it is final', async () => {
    jest.useFakeTimers();
    try {
      const cache = new QueryCache();
      cache.setData(cacheKeys.order('ORD_1'), order());
      const answers = [order(), order({ status: 'REJECTED' })];
      const fetch = fakeFetch({
        'GET /api/ecommerce/orders/ORD_1': () => ({ body: answers.shift() ?? order({ status: 'REJECTED' }) }),
      });
      setFetch(fetch.impl);
      render(
        <QueryCacheContext.Provider value={cache}>
          <MemoryRouter>
            <OrderPage orderId="ORD_1" />
          </MemoryRouter>
        </QueryCacheContext.Provider>,
      );
      await act(async () => void jest.advanceTimersByTime(2000));
      await act(async () => void jest.advanceTimersByTime(2000));
      expect(screen.getByTestId('order-status').textContent).toBe('REJECTED');
      const polls = fetch.calls.length;
      await act(async () => void jest.advanceTimersByTime(10_000));
      expect(fetch.calls.length).toBe(polls);
    } finally {
      jest.useRealTimers();
    }
  });

  it('shows the API error for an unknown order', async () => {
    setFetch(
      fakeFetch({
        'GET /api/ecommerce/orders/NOPE': () => ({
          status: 404,
          body: { statusCode: 404, error: 'Not Found', message: 'order NOPE not found' },
        }),
      }).impl,
    );
    render(
      <QueryCacheContext.Provider value={new QueryCache()}>
        <MemoryRouter>
          <OrderPage orderId="NOPE" />
        </MemoryRouter>
      </QueryCacheContext.Provider>,
    );
    expect((await screen.findByRole('alert')).textContent).toContain('order NOPE not found');
  });
});

describe('OrdersListPage', () => {
  it('lists this session’s orders with their status', async () => {
    const { OrdersListPage } = await import('./orders-list-page');
    setFetch(
      fakeFetch({
        'GET /api/ecommerce/orders': (_b, url) => ({
          body: url.includes('sessionId=session_1_abc')
            ? [order({ status: 'CONFIRMED' }), order({ orderId: 'ORD_2', publishMode: 'cdc' })]
            : [],
        }),
      }).impl,
    );
    render(
      <QueryCacheContext.Provider value={new QueryCache()}>
        <MemoryRouter>
          <OrdersListPage sessionId="session_1_abc" />
        </MemoryRouter>
      </QueryCacheContext.Provider>,
    );
    const list = await screen.findByTestId('orders-list');
    await screen.findByText('CONFIRMED');
    expect(list.textContent).toContain('via CDC');
    expect(list.querySelectorAll('li')).toHaveLength(2);
  });
});

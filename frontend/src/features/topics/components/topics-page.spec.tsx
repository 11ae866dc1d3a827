import { act, fireEvent, render, screen } from '@testing-library/react';
import { setFetch } from '../../../lib/api-client';
import { QueryCache, QueryCacheContext } from '../../../lib/query-cache';
import { fakeFetch } from '../../../test-support/factories';
import { TopicsPage } from './topics-page';

const topics = [
  {
    name: 'order-events',
    partitions: [{ partition: 0, earliestOffset: '0', latestOffset: '7' }],
    messageCount: '7',
  },
  {
    name: 'inventory-events',
    partitions: [{ partition: 0, earliestOffset: '0', latestOffset: '3' }],
    messageCount: '3',
  },
  {
    name: 'product-updates',
    partitions: [{ partition: 0, earliestOffset: '0', latestOffset: '0' }],
    messageCount: '0',
  },
];
const record = {
  topic: 'order-events',
  partition: 0,
  offset: '6',
  timestamp: 1_700_000_000_000,
  key: 'PROD_0001',
  value: { productId: 'PROD_0001', quantity: 3 },
  headers: { source: 'api' },
};

async function renderPage(routes: Parameters<typeof fakeFetch>[0]) {
  const fetch = fakeFetch({ 'GET /api/topics': () => ({ body: topics }), ...routes });
  setFetch(fetch.impl);
  render(
    <QueryCacheContext.Provider value={new QueryCache()}>
      <TopicsPage />
    </QueryCacheContext.Provider>,
  );
  await screen.findByText('inventory-events', { selector: 'code' });
  return fetch.calls;
}

describe('TopicsPage', () => {
  it('lists topics with partitions and end offsets', async () => {
    await renderPage({});
    expect(screen.getByTestId('topic-list').textContent).toContain('0:7');
  });

  it('browses several topics with a pasted filter (smart quotes straightened) and shows the records', async () => {
    const calls = await renderPage({
      'GET /api/topics/messages': () => ({ body: { messages: [record], scanned: 10, truncated: false } }),
    });
    fireEvent.click(screen.getByLabelText('Browse order-events'));
    fireEvent.click(screen.getByLabelText('Browse inventory-events'));
    fireEvent.change(screen.getByLabelText('Read from'), { target: { value: 'earliest' } });
    fireEvent.change(screen.getByTestId('browse-filter'), {
      target: { value: '.value.productId == “PROD_0001”' },
    });
    await act(async () => fireEvent.click(screen.getByTestId('browse-submit')));
    const url = new URL(calls[calls.length - 1].url, 'http://x');
    expect(url.searchParams.get('topics')).toBe('order-events,inventory-events');
    expect(url.searchParams.get('from')).toBe('earliest');
    expect(url.searchParams.get('filter')).toBe('.value.productId == "PROD_0001"');
    expect(screen.getByTestId('browse-summary').textContent).toBe('1 shown · 10 scanned');
    expect(screen.getByTestId('messages').textContent).toContain('"quantity": 3');
  });

  it('does not send a broken filter; it says what is wrong', async () => {
    const calls = await renderPage({});
    fireEvent.click(screen.getByLabelText('Browse order-events'));
    fireEvent.change(screen.getByTestId('browse-filter'), {
      target: { value: '.value.productId == "PROD_0001' },
    });
    await act(async () => fireEvent.click(screen.getByTestId('browse-submit')));
    expect(screen.getByText('a string is not closed (missing ")')).toBeTruthy();
    expect(calls.filter((c) => c.url.startsWith('/api/topics/messages'))).toHaveLength(0);
  });

  it('shows the server’s filter error', async () => {
    await renderPage({
      'GET /api/topics/messages': () => ({
        status: 400,
        body: {
          statusCode: 400,
          error: 'Bad Request',
          message: 'invalid filter',
          fields: [{ path: 'filter', message: 'unknown function foo' }],
        },
      }),
    });
    fireEvent.click(screen.getByLabelText('Browse order-events'));
    fireEvent.change(screen.getByTestId('browse-filter'), { target: { value: 'foo(.value)' } });
    await act(async () => fireEvent.click(screen.getByTestId('browse-submit')));
    expect(screen.getByRole('alert').textContent).toContain('unknown function foo');
  });

  it('produces a record and shows where it landed, or the 403 reason', async () => {
    let allowed = true;
    const calls = await renderPage({
      'POST /api/topics/product-updates/messages': () =>
        allowed
          ? { status: 201, body: { topic: 'product-updates', partition: 2, offset: '41' } }
          : {
              status: 403,
              body: {
                statusCode: 403,
                error: 'Forbidden',
                message: 'producing needs API_MODE=local or the x-admin-token header',
              },
            },
    });
    fireEvent.change(screen.getByTestId('produce-key'), { target: { value: 'PROD_0001' } });
    fireEvent.change(screen.getByTestId('produce-value'), {
      target: { value: '{"productId":"PROD_0001","inventory":10}' },
    });
    await act(async () => fireEvent.click(screen.getByTestId('produce-submit')));
    expect(calls[calls.length - 1].body).toEqual({
      key: 'PROD_0001',
      value: { productId: 'PROD_0001', inventory: 10 },
    });
    expect(screen.getByTestId('produce-answer').textContent).toBe(
      'Written to product-updates partition 2 at offset 41',
    );
    allowed = false;
    await act(async () => fireEvent.click(screen.getByTestId('produce-submit')));
    expect(screen.getByRole('alert').textContent).toContain('x-admin-token');
    expect(screen.queryByTestId('produce-answer')).toBeNull();
  });
});

import { act, render } from '@testing-library/react';
import { cacheKeys, type StockPoint } from '../../../lib/cache-keys';
import { LiveSocket } from '../../../lib/live-socket';
import { QueryCache, QueryCacheContext } from '../../../lib/query-cache';
import { frame, product } from '../../../test-support/factories';
import { StockChart, stockPath } from './stock-chart';

describe('stock chart', () => {
  it('draws a step line scaled to the highest stock seen', () => {
    expect(stockPath([], 10)).toEqual({ d: '', max: 1 });
    const { d, max } = stockPath(
      [
        { tMs: 0, inventory: 10 },
        { tMs: 50, inventory: 5 },
      ],
      100,
    );
    expect(max).toBe(10);
    expect(d).toBe('M24.0,24.0 H160.0 V60.0 H296.0');
  });

  it('starts from the stock first seen and adds a point per live change', () => {
    const cache = new QueryCache();
    const { container } = render(
      <QueryCacheContext.Provider value={cache}>
        <StockChart productId="PROD_0001" inventory={25} />
      </QueryCacheContext.Provider>,
    );
    const socket = new LiveSocket('ws://x', cache, { createSocket: () => ({}) as never });
    act(() => void socket.handleFrame(frame('PRODUCT_UPDATE', product({ inventory: 22, version: 2 }))));
    act(() => void socket.handleFrame(frame('PRODUCT_UPDATE', product({ inventory: 22, version: 3 }))));
    expect(cache.peek<StockPoint[]>(cacheKeys.stockHistory('PROD_0001'))!.map((p) => p.inventory)).toEqual([
      25, 22,
    ]);
    expect(container.textContent).toContain('2 points');
  });
});

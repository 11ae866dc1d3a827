import type { ReactElement } from 'react';
import { act, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import type { AlertEvent } from '@kartshoppe/contracts';
import { setFetch } from '../../../lib/api-client';
import { cacheKeys } from '../../../lib/cache-keys';
import { LiveSocket } from '../../../lib/live-socket';
import { QueryCache, QueryCacheContext } from '../../../lib/query-cache';
import { alert, fakeFetch, frame } from '../../../test-support/factories';
import { AlertsPage } from './alerts-page';
import { AlertsBadge } from './alerts-badge';

function setup(path: string, ui: ReactElement) {
  const cache = new QueryCache();
  cache.setData<AlertEvent[]>(cacheKeys.alerts, [
    alert({ alertId: 'old', severity: 'INFO', alertType: 'PRICE_DROP', message: 'Price dropped 12%' }),
  ]);
  setFetch(fakeFetch({}).impl);
  render(
    <QueryCacheContext.Provider value={cache}>
      <MemoryRouter initialEntries={[path]}>{ui}</MemoryRouter>
    </QueryCacheContext.Provider>,
  );
  return new LiveSocket('ws://x', cache, { createSocket: () => ({}) as never });
}

describe('alerts', () => {
  it('the navbar badge counts alerts that arrive live and toasts the loud one', () => {
    const socket = setup('/products', <AlertsBadge />);
    expect(screen.getByTestId('alerts-link').textContent).toBe('Alerts');
    act(
      () =>
        void socket.handleFrame(
          frame('INVENTORY_ALERT', alert({ alertId: 'a1', message: 'Only 4 left of Shoes' })),
        ),
    );
    act(
      () =>
        void socket.handleFrame(
          frame('INVENTORY_ALERT', alert({ alertId: 'a1', message: 'Only 4 left of Shoes' })),
        ),
    );
    expect(screen.getByTestId('alerts-link').textContent).toBe('Alerts1');
    expect(screen.getByRole('status').textContent).toContain('Only 4 left of Shoes');
  });

  it('the alerts page lists alerts newest first with their severity, live', () => {
    const socket = setup('/alerts', <AlertsPage />);
    act(
      () =>
        void socket.handleFrame(
          frame(
            'INVENTORY_ALERT',
            alert({ alertId: 'a2', alertType: 'OUT_OF_STOCK', message: 'Shoes sold out' }),
          ),
        ),
    );
    const items = screen.getByTestId('alerts').querySelectorAll('li');
    expect([...items].map((li) => li.className)).toEqual(['card alert sev-critical', 'card alert sev-info']);
    expect(items[0].textContent).toContain('Shoes sold out');
  });
});

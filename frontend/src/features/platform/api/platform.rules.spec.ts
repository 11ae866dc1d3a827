import { componentFacts, formatBytes } from './platform.rules';

describe('platform facts', () => {
  it('shows the processor’s state size, dead letters and lag per partition', () => {
    const out = componentFacts({
      name: 'inventory-processor',
      status: 'up',
      detail: {
        component: 'inventory-processor',
        status: 'up',
        instanceId: 'instance-1',
        phase: 'running',
        partitions: [
          { partition: 0, lag: '3', restoring: false, products: 11 },
          { partition: 1, lag: '0', restoring: true, products: 9 },
        ],
        timersPending: 20,
        deadLetters: 2,
        stateSizeBytes: 114_688,
      },
    });
    expect(out.facts).toContainEqual({ label: 'State size', value: '112.0 KiB' });
    expect(out.facts).toContainEqual({ label: 'Dead letters', value: '2' });
    expect(out.facts).toContainEqual({ label: 'Products in state', value: '20' });
    expect(out.lag).toEqual([
      { partition: 0, lag: '3', restoring: false },
      { partition: 1, lag: '0', restoring: true },
    ]);
  });

  it('shows the CDC slot lag', () => {
    const out = componentFacts({
      name: 'cdc-worker',
      status: 'up',
      detail: {
        component: 'cdc-worker',
        status: 'up',
        slotName: 'kartshoppe_cdc',
        connected: true,
        lastAckedLsn: '0/1942318',
        slotLagBytes: 2048,
        eventsPublished: 4,
      },
    });
    expect(out.facts).toContainEqual({ label: 'Slot lag', value: '2.0 KiB' });
  });

  it('shows the API’s dependencies and falls back to scalar fields for unknown details', () => {
    const api = componentFacts({
      name: 'checkout-api',
      status: 'degraded',
      detail: {
        component: 'checkout-api',
        status: 'degraded',
        dependencies: [{ name: 'kafka', status: 'down', detail: 'ECONNREFUSED' }],
        readModel: { products: 0, warm: false },
        unpublishedOrders: 3,
      },
    });
    expect(api.facts).toContainEqual({ label: 'kafka', value: 'down · ECONNREFUSED' });
    expect(api.facts).toContainEqual({ label: 'Orders waiting for Kafka', value: '3' });
    expect(
      componentFacts({ name: 'kafka', status: 'up', detail: { brokers: 1, list: [1, 2] } }).facts,
    ).toEqual([
      { label: 'brokers', value: '1' },
      { label: 'list', value: '2 entries' },
    ]);
    expect(componentFacts({ name: 'postgres', status: 'down' }).facts).toEqual([]);
  });

  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [5 * 1024 * 1024, '5.0 MiB'],
  ])('formatBytes(%i) = %s', (n, s) => expect(formatBytes(n)).toBe(s));
});

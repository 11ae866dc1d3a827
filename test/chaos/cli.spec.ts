import { parseArgs } from './cli';

describe('npm run chaos arguments', () => {
  it('takes orders, duration, seed and a fault list; the rest has defaults', () => {
    const o = parseArgs([
      '--orders',
      '10000',
      '--duration=300',
      '--seed',
      '42',
      '--kills',
      'kafka=2,postgres=1',
    ]);
    expect(o).toMatchObject({ orders: 10_000, durationS: 300, seed: 42, kills: { kafka: 2, postgres: 1 } });
    expect(o.keepInfra).toBe(false);
  });

  it('kills every component by default, more often in a long run', () => {
    expect(parseArgs(['--orders', '1000']).kills).toEqual({
      'checkout-api': 1,
      'cdc-worker': 1,
      'processor-1': 1,
      'processor-2': 1,
      kafka: 1,
      postgres: 1,
    });
    expect(parseArgs([]).kills).toMatchObject({ 'checkout-api': 3, kafka: 2, postgres: 1 });
  });

  it('refuses unknown options, components and bad numbers', () => {
    expect(() => parseArgs(['--order', '5'])).toThrow('unknown option --order');
    expect(() => parseArgs(['--kills', 'redis=1'])).toThrow('unknown component redis');
    expect(() => parseArgs(['--orders', '-3'])).toThrow('--orders must be a non-negative integer');
  });
});

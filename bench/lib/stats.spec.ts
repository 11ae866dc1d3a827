import { dueAtMs, dueCount, ordersInPhase, percentile, summarize } from './stats';

describe('percentile (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it.each([
    [50, 50],
    [95, 95],
    [99, 99],
    [100, 100],
    [0, 1],
  ])('p%d of 1..100 is %d', (p, expected) => {
    expect(percentile(hundred, p)).toBe(expected);
  });

  it('p99 of ten values is the largest (no interpolation below the data)', () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 99)).toBe(10);
  });

  it('is NaN without values', () => {
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('summarize', () => {
  it('sorts before ranking and reports the max', () => {
    expect(summarize([30, 10, 20, 40.04])).toEqual({ count: 4, p50Ms: 20, p95Ms: 40, p99Ms: 40, maxMs: 40 });
  });

  it('does not reorder the caller’s array', () => {
    const values = [3, 1, 2];
    summarize(values);
    expect(values).toEqual([3, 1, 2]);
  });

  it('reports NaN percentiles for an empty phase', () => {
    expect(summarize([])).toMatchObject({ count: 0, p99Ms: NaN });
  });
});

describe('open-loop schedule', () => {
  it('makes the first order due at once and one more every 1/rate', () => {
    expect(dueCount(0, 100)).toBe(1);
    expect(dueCount(9.99, 100)).toBe(1);
    expect(dueCount(10, 100)).toBe(2);
    expect(dueCount(1000, 1000)).toBe(1001);
  });

  it('has nothing due before the start or at rate 0', () => {
    expect(dueCount(-1, 100)).toBe(0);
    expect(dueCount(500, 0)).toBe(0);
  });

  it('puts order i at i / rate, consistent with dueCount', () => {
    expect(dueAtMs(0, 500)).toBe(0);
    expect(dueAtMs(250, 500)).toBe(500);
    for (const i of [0, 1, 7, 499]) expect(dueCount(dueAtMs(i, 500), 500)).toBe(i + 1);
  });

  it('counts the orders of a phase', () => {
    expect(ordersInPhase(20_000, 1000)).toBe(20_000);
    expect(ordersInPhase(2_500, 100)).toBe(250);
  });
});

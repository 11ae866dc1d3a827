import { planFaults } from './killer';
import { seededRng } from './rng';

describe('chaos killer plan', () => {
  const kills = {
    'checkout-api': 3,
    'cdc-worker': 3,
    'processor-1': 3,
    'processor-2': 3,
    kafka: 2,
    postgres: 1,
  };

  it('plans every requested fault once, inside [10 %, 85 %] of the window, in time order', () => {
    const plan = planFaults(300_000, kills, seededRng(7));
    expect(plan).toHaveLength(15);
    const count = (c: string) => plan.filter((f) => f.component === c).length;
    expect([count('checkout-api'), count('processor-2'), count('kafka'), count('postgres')]).toEqual([
      3, 3, 2, 1,
    ]);
    for (const f of plan) {
      expect(f.atMs).toBeGreaterThanOrEqual(30_000);
      expect(f.atMs).toBeLessThanOrEqual(255_000);
      expect(f.downtimeMs).toBeGreaterThan(0);
    }
    expect(plan.map((f) => f.atMs)).toEqual([...plan.map((f) => f.atMs)].sort((a, b) => a - b));
  });

  it('replays from the seed and varies with it', () => {
    expect(planFaults(60_000, kills, seededRng(1))).toEqual(planFaults(60_000, kills, seededRng(1)));
    expect(planFaults(60_000, kills, seededRng(1))).not.toEqual(planFaults(60_000, kills, seededRng(2)));
  });

  it('plans nothing when no fault is asked for', () => {
    expect(planFaults(60_000, {}, seededRng(1))).toEqual([]);
  });
});

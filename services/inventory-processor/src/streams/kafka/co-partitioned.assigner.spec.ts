import fc from 'fast-check';
import { planAssignment } from './co-partitioned.assigner';

describe('planAssignment', () => {
  it('splits partitions evenly and keeps what members already own', () => {
    expect(Object.fromEntries(planAssignment(['a', 'b'], 3, new Map()))).toEqual({ a: [0, 2], b: [1] });
    const owned = new Map([['a', [0, 1, 2]]]);
    expect(Object.fromEntries(planAssignment(['a', 'b'], 3, owned))).toEqual({ a: [0, 1], b: [2] });
    expect(Object.fromEntries(planAssignment(['a'], 3, new Map([['a', [1]]])))).toEqual({ a: [0, 1, 2] });
  });

  it('always assigns every partition exactly once, fairly', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.array(fc.integer({ min: 0, max: 15 }), { maxLength: 6 }), { maxLength: 5 }),
        (members, n, ownedLists) => {
          const owned = new Map(members.map((m, i) => [m, ownedLists[i] ?? []]));
          const plan = planAssignment(members, n, owned);
          const all = [...plan.values()].flat().sort((a, b) => a - b);
          expect(all).toEqual(Array.from({ length: n }, (_, i) => i));
          const sizes = [...plan.values()].map((l) => l.length);
          expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});

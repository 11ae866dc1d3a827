import fc from 'fast-check';
import { DeadlineIndex } from './deadline.index';

describe('DeadlineIndex', () => {
  it('returns due keys earliest first, honouring re-arms and clears', () => {
    const index = new DeadlineIndex();
    index.set('a', 30);
    index.set('b', 10);
    index.set('c', 20);
    index.set('b', 50); // re-armed: no longer due at 30
    index.set('c', null);
    expect(index.due(30)).toEqual(['a']);
    expect(index.due(100)).toEqual(['a', 'b']);
    expect(index.size).toBe(2);
  });

  it('reports a key once after it was cleared and re-armed with the same deadline', () => {
    const index = new DeadlineIndex();
    index.set('a', 10);
    index.set('a', null);
    index.set('a', 10);
    expect(index.due(10)).toEqual(['a']);
  });

  it('agrees with a naive model', () => {
    const op = fc.tuple(
      fc.constantFrom('a', 'b', 'c', 'd', 'e'),
      fc.option(fc.integer({ min: 0, max: 100 })),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), fc.integer({ min: 0, max: 100 }), (ops, now) => {
        const index = new DeadlineIndex();
        const model = new Map<string, number>();
        for (const [k, d] of ops) {
          index.set(k, d);
          if (d === null) model.delete(k);
          else model.set(k, d);
        }
        const expected = [...model]
          .filter(([, d]) => d <= now)
          .map(([k]) => k)
          .sort();
        expect(index.due(now).sort()).toEqual(expected);
        expect(index.due(now).sort()).toEqual(expected);
      }),
    );
  });
});

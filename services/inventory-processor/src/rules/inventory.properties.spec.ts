import fc from 'fast-check';
import { applyOrderDeduction } from './order-deduction.rules';
import { applyProductUpdate } from './product-update.rules';
import {
  hasAppliedEventId,
  rememberEventId,
  type KeyState,
  type ProductState,
  type RuleResult,
} from './inventory-state';
import { CONFIG, T0, fullProduct, order, stateWith } from './rules.fixtures';

/** Inputs: orders (with ids drawn from a small pool, so duplicates are common) and restocks. */
const inputArb = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('order' as const),
      id: fc.integer({ min: 0, max: 30 }),
      q: fc.integer({ min: 1, max: 8 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('restock' as const),
      inventory: fc.integer({ min: 0, max: 40 }),
    }),
  },
);
type Input = typeof inputArb extends fc.Arbitrary<infer T> ? T : never;

function apply(state: ProductState, input: Input, nowMs: number): RuleResult<ProductState> {
  return input.kind === 'order'
    ? applyOrderDeduction(state, order(`o-${input.id}`, input.q), CONFIG, nowMs)
    : applyProductUpdate(state, { productId: 'PROD_0001', inventory: input.inventory }, CONFIG, nowMs);
}

describe('inventory rules: properties', () => {
  it('stock is never negative, and is never clamped (F-FL-1)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 }), fc.array(inputArb, { maxLength: 60 }), (start, inputs) => {
        let state = stateWith({ inventory: start });
        inputs.forEach((input, i) => {
          state = apply(state, input, T0 + i).state!;
          expect(state.product.inventory).toBeGreaterThanOrEqual(0);
        });
      }),
    );
  });

  it('initial stock − Σ RESERVED quantities = final stock, for any interleaving of orders and duplicates', () => {
    const orderArb = fc.record({ id: fc.integer({ min: 0, max: 25 }), q: fc.integer({ min: 1, max: 9 }) });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.array(orderArb, { maxLength: 80 }), (start, orders) => {
        let state = stateWith({ inventory: start });
        let reserved = 0;
        const decided = new Set<string>();
        for (const o of orders) {
          const r = applyOrderDeduction(state, order(`o-${o.id}`, o.q), CONFIG, T0);
          for (const out of r.outputs) {
            if (out.kind !== 'order-status') continue;
            expect(decided.has(out.status.eventId)).toBe(false); // one verdict per eventId
            decided.add(out.status.eventId);
            if (out.status.status === 'RESERVED') reserved += out.status.quantity;
          }
          state = r.state!;
        }
        expect(state.product.inventory).toBe(start - reserved);
      }),
    );
  });

  it('one verdict per eventId when the product is unknown at first and appears at any point (F-FL-6)', () => {
    const stepArb = fc.oneof(
      {
        weight: 6,
        arbitrary: fc.record({ id: fc.integer({ min: 0, max: 15 }), q: fc.integer({ min: 1, max: 9 }) }),
      },
      { weight: 1, arbitrary: fc.record({ appear: fc.integer({ min: 0, max: 60 }) }) },
    );
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 80 }), (steps) => {
        let state: KeyState | undefined;
        let reserved = 0;
        const verdicts = new Map<string, string>();
        for (const step of steps) {
          if ('appear' in step) {
            // A full record: the product appears, or (if known) is restocked to that level.
            const r = applyProductUpdate(state, fullProduct({ inventory: step.appear }), CONFIG, T0);
            state = r.state;
            reserved = 0;
            continue;
          }
          const r = applyOrderDeduction(state, order(`o-${step.id}`, step.q), CONFIG, T0);
          for (const out of r.outputs) {
            if (out.kind !== 'order-status') continue;
            expect(verdicts.has(out.status.eventId)).toBe(false);
            verdicts.set(out.status.eventId, out.status.reason ?? out.status.status);
            if (out.status.status === 'RESERVED') reserved += out.status.quantity;
          }
          state = r.state;
        }
        // Every line offered got exactly one verdict, and nothing was deducted for a rejected one.
        const offered = new Set(steps.flatMap((s) => ('id' in s ? [`o-${s.id}:PROD_0001`] : [])));
        expect(new Set(verdicts.keys())).toEqual(offered);
        const lastLevel = [...steps].reverse().find((s) => 'appear' in s);
        if (state?.product && lastLevel && 'appear' in lastLevel) {
          expect(state.product.inventory).toBe(lastLevel.appear - reserved);
        }
      }),
    );
  });

  it('applying any order twice has the same effect as applying it once', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.array(inputArb, { maxLength: 40 }),
        fc.nat(),
        (start, inputs, pick) => {
          let state = stateWith({ inventory: start });
          inputs.forEach((input, i) => (state = apply(state, input, T0 + i).state!));
          const input: Input = { kind: 'order', id: pick % 31, q: (pick % 8) + 1 };
          const once = apply(state, input, T0 + 1000);
          const twice = apply(once.state!, input, T0 + 2000);
          expect(twice.outputs).toEqual([]);
          expect(twice.state).toEqual(once.state);
        },
      ),
    );
  });

  it('re-applying the same product record changes nothing but the version (PRODUCT_UPDATED only)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100_000 }),
        (inventory, priceCents) => {
          const patch = { productId: 'PROD_0001', inventory, price: priceCents / 100 };
          const once = applyProductUpdate(stateWith(), patch, CONFIG, T0);
          const twice = applyProductUpdate(once.state, patch, CONFIG, T0);
          expect(twice.state?.product).toEqual({
            ...once.state!.product,
            version: once.state!.product.version + 1,
          });
          expect(
            twice.outputs
              .filter((o) => o.kind === 'inventory-event')
              .map((o) => o.kind === 'inventory-event' && o.event.eventType),
          ).toEqual(['PRODUCT_UPDATED']);
          expect(twice.outputs.some((o) => o.kind === 'alert')).toBe(false);
        },
      ),
    );
  });
});

describe('eventId memory', () => {
  it('membership agrees with the array for any sequence, window and reuse of older arrays', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 100 }),
        fc.integer({ min: 1, max: 8 }),
        (ids, window) => {
          const history: string[][] = [[]];
          for (const id of ids) {
            const current = history.at(-1)!;
            if (!hasAppliedEventId(current, `e${id}`))
              history.push(rememberEventId(current, `e${id}`, window));
          }
          for (const arr of history) {
            expect(arr.length).toBeLessThanOrEqual(window);
            for (let id = 0; id <= 20; id++)
              expect(hasAppliedEventId(arr, `e${id}`)).toBe(arr.includes(`e${id}`));
          }
        },
      ),
    );
  });
});

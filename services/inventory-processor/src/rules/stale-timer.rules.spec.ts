import { InventoryEventSchema } from '@kartshoppe/contracts';
import { applyOrderDeduction } from './order-deduction.rules';
import { fireStaleTimer } from './stale-timer.rules';
import { CONFIG, T0, order, stateWith, summary } from './rules.fixtures';

describe('fireStaleTimer', () => {
  it('does nothing before the deadline', () => {
    const state = stateWith();
    expect(fireStaleTimer(state, CONFIG, T0 + CONFIG.staleAfterMs - 1).outputs).toEqual([]);
  });

  it('fires STALE_INVENTORY with the current price and inventory (F-RM-1: no $0.00 prices)', () => {
    const r = fireStaleTimer(stateWith({ inventory: 7, price: 49.99 }), CONFIG, T0 + CONFIG.staleAfterMs);
    expect(summary(r)).toEqual(['event STALE_INVENTORY 7->7', 'alert STALE_INVENTORY INFO']);
    const ev = r.outputs[0]!;
    expect(ev.kind === 'inventory-event' && InventoryEventSchema.parse(ev.event)).toMatchObject({
      currentPrice: 49.99,
      previousPrice: 49.99,
      currentInventory: 7,
      version: 2,
    });
  });

  it('fires once per quiet period, and again after activity re-arms it', () => {
    const fired = fireStaleTimer(stateWith(), CONFIG, T0 + CONFIG.staleAfterMs);
    expect(fireStaleTimer(fired.state!, CONFIG, T0 + 10 * CONFIG.staleAfterMs).outputs).toEqual([]);
    const t1 = T0 + 20 * CONFIG.staleAfterMs;
    const active = applyOrderDeduction(fired.state!, order('o-1', 1), CONFIG, t1).state!;
    expect(fireStaleTimer(active, CONFIG, t1 + CONFIG.staleAfterMs - 1).outputs).toEqual([]);
    const again = fireStaleTimer(active, CONFIG, t1 + CONFIG.staleAfterMs);
    expect(summary(again)).toHaveLength(2);
    // alert ids differ between quiet periods (the version is bumped on each firing)
    const ids = [fired, again]
      .map((r) => r.outputs.find((o) => o.kind === 'alert'))
      .map((o) => o?.kind === 'alert' && o.alert.alertId);
    expect(new Set(ids).size).toBe(2);
  });

  it('a timer that came due long ago (e.g. while the processor was down) fires once when swept', () => {
    const r = fireStaleTimer(stateWith(), CONFIG, T0 + 100 * CONFIG.staleAfterMs);
    expect(summary(r)).toHaveLength(2);
    expect(r.state?.staleDeadlineMs).toBeNull();
  });
});

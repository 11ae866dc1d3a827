import { AlertEventSchema, InventoryEventSchema, ProductSchema, alertId } from '@kartshoppe/contracts';
import { applyCatalogProduct, applyProductUpdate, priceReason } from './product-update.rules';
import { CONFIG, T0, fullProduct, stateWith, summary } from './rules.fixtures';

describe('applyProductUpdate', () => {
  it('adds a new full product: PRODUCT_ADDED, version 1, timer armed', () => {
    const r = applyProductUpdate(undefined, fullProduct({ inventory: 50 }), CONFIG, T0);
    expect(summary(r)).toEqual(['product inv=50 price=1899.99 v=1', 'event PRODUCT_ADDED 0->50']);
    expect(r.state?.staleDeadlineMs).toBe(T0 + CONFIG.staleAfterMs);
    expect(r.state?.product.updatedAt).toBe(T0);
  });

  it.each([
    ['LOW_STOCK WARNING at exactly 10 (F-FL-2: <= 10 on every path)', 10, ['alert LOW_STOCK WARNING']],
    ['LOW_STOCK WARNING at 6', 6, ['alert LOW_STOCK WARNING']],
    ['LOW_STOCK CRITICAL at 5', 5, ['alert LOW_STOCK CRITICAL']],
    ['LOW_STOCK CRITICAL at 1', 1, ['alert LOW_STOCK CRITICAL']],
    ['OUT_OF_STOCK CRITICAL at 0', 0, ['alert OUT_OF_STOCK CRITICAL']],
    ['no alert at 11', 11, []],
  ])('new product alerts: %s', (_title, inventory, alerts) => {
    const r = applyProductUpdate(undefined, fullProduct({ inventory }), CONFIG, T0);
    expect(summary(r).filter((s) => s.startsWith('alert'))).toEqual(alerts);
  });

  it.each([
    ['inventory up', { inventory: 30 }, 20, ['event INVENTORY_INCREASED 20->30'], []],
    ['inventory down', { inventory: 15 }, 20, ['event INVENTORY_DECREASED 20->15'], []],
    [
      'inventory down into low stock',
      { inventory: 9 },
      20,
      ['event INVENTORY_DECREASED 20->9'],
      ['alert LOW_STOCK WARNING'],
    ],
    ['inventory to 0', { inventory: 0 }, 20, ['event OUT_OF_STOCK 20->0'], ['alert OUT_OF_STOCK CRITICAL']],
    ['restock from 0', { inventory: 4 }, 0, ['event BACK_IN_STOCK 0->4'], ['alert LOW_STOCK CRITICAL']],
    ['restock from 0 to plenty', { inventory: 40 }, 0, ['event BACK_IN_STOCK 0->40'], []],
    ['only the name', { name: 'Renamed' }, 20, ['event PRODUCT_UPDATED 20->20'], []],
    ['same values again', {}, 20, ['event PRODUCT_UPDATED 20->20'], []],
    ['price up', { price: 1999.99 }, 20, ['event PRICE_CHANGED 20->20'], []],
    ['price down 5%', { price: 1804.99 }, 20, ['event PRICE_CHANGED 20->20'], []],
    [
      'price down exactly 10%',
      { price: 1709.99 },
      20,
      ['event PRICE_CHANGED 20->20'],
      ['alert PRICE_DROP INFO'],
    ],
    [
      'stock and price together',
      { inventory: 25, price: 999.99 },
      20,
      ['event INVENTORY_INCREASED 20->25', 'event PRICE_CHANGED 20->25'],
      ['alert PRICE_DROP INFO'],
    ],
  ])('update: %s', (_title, patch, startInventory, events, alerts) => {
    const state = stateWith({ inventory: startInventory, price: 1899.99 });
    const r = applyProductUpdate(state, { productId: 'PROD_0001', ...patch }, CONFIG, T0 + 1000);
    const out = summary(r);
    expect(out[0]).toMatch(/^product /);
    expect(out.filter((s) => s.startsWith('event'))).toEqual(events);
    expect(out.filter((s) => s.startsWith('alert'))).toEqual(alerts);
    expect(r.state?.product.version).toBe(2);
  });

  it('merges a patch of a known product (F-U-6: partial JSON restocks instead of crashing)', () => {
    const r = applyProductUpdate(
      stateWith({ inventory: 3 }),
      { productId: 'PROD_0001', inventory: 30 },
      CONFIG,
      T0,
    );
    expect(r.poison).toBeUndefined();
    expect(r.state?.product).toMatchObject({
      name: 'FutureTech UltraBook Pro 15',
      inventory: 30,
      price: 1899.99,
    });
  });

  it('refuses a patch of an unknown product as poison (F-FL-4: no crash loop, no half product)', () => {
    const r = applyProductUpdate(undefined, { productId: 'PROD_9999', inventory: 5 }, CONFIG, T0);
    expect(r.poison).toMatch(/patch of unknown product PROD_9999/);
    expect(r.state).toBeUndefined();
    expect(r.outputs).toEqual([]);
  });

  it('a key that only remembers rejected lines: a patch is still poison, and the lines are kept', () => {
    const remembered = { product: null, appliedEventIds: ['o-1:PROD_9999'] };
    const r = applyProductUpdate(remembered, { productId: 'PROD_9999', inventory: 5 }, CONFIG, T0);
    expect(r.poison).toMatch(/patch of unknown product PROD_9999/);
    expect(r.state).toBe(remembered);
  });

  it('ignores version and updatedAt sent by a producer', () => {
    const r = applyProductUpdate(undefined, fullProduct({ version: 99, updatedAt: 5 }), CONFIG, T0);
    expect(r.state?.product).toMatchObject({ version: 1, updatedAt: T0 });
  });

  it('PRICE_CHANGED from a price of 0 has no percentage and no PRICE_DROP (F-FL-7: no division by 0)', () => {
    const r = applyProductUpdate(stateWith({ price: 0 }), { productId: 'PROD_0001', price: 10 }, CONFIG, T0);
    const ev = r.outputs.find((o) => o.kind === 'inventory-event');
    expect(ev?.kind === 'inventory-event' && ev.event.changeReason).toBe('Price set from $0.00 to $10.00');
    expect(JSON.stringify(r.outputs)).not.toMatch(/Infinity|NaN/);
  });

  it.each([
    [100, 90, 'Price decreased by $10.00 (10.0%)'],
    [100, 125.5, 'Price increased by $25.50 (25.5%)'],
    [0, 5, 'Price set from $0.00 to $5.00'],
  ])('priceReason(%s, %s)', (a, b, text) => expect(priceReason(a, b)).toBe(text));

  it('every output matches its contract schema and carries the new version', () => {
    const r = applyProductUpdate(
      stateWith({ inventory: 20 }),
      { productId: 'PROD_0001', inventory: 0, price: 100 },
      CONFIG,
      T0,
    );
    for (const o of r.outputs) {
      if (o.kind === 'product') expect(ProductSchema.parse(o.product).version).toBe(2);
      if (o.kind === 'inventory-event') expect(InventoryEventSchema.parse(o.event).version).toBe(2);
      if (o.kind === 'alert') {
        AlertEventSchema.parse(o.alert);
        expect(o.alert.alertId).toBe(alertId('PROD_0001', 2, o.alert.alertType));
      }
    }
  });

  it('re-arms the stale timer on every update', () => {
    const state = { ...stateWith(), staleDeadlineMs: null };
    const r = applyProductUpdate(state, { productId: 'PROD_0001', name: 'X' }, CONFIG, T0 + 5000);
    expect(r.state).toMatchObject({
      lastActivityMs: T0 + 5000,
      staleDeadlineMs: T0 + 5000 + CONFIG.staleAfterMs,
    });
  });
});

describe('applyCatalogProduct', () => {
  it('never re-applies the catalog over existing state (F-FL-3: a restart does not reset stock)', () => {
    const state = stateWith({ inventory: 2 });
    const r = applyCatalogProduct(state, fullProduct({ inventory: 10 }), CONFIG, T0);
    expect(r.state).toBe(state);
    expect(r.outputs).toEqual([]);
  });

  it('adds a product with no state', () => {
    expect(summary(applyCatalogProduct(undefined, fullProduct(), CONFIG, T0))).toContain(
      'event PRODUCT_ADDED 0->10',
    );
  });

  it('adds a product whose key only remembers rejected lines, keeping them', () => {
    const remembered = { product: null, appliedEventIds: ['o-1:PROD_0001'] };
    const r = applyCatalogProduct(remembered, fullProduct(), CONFIG, T0);
    expect(summary(r)).toContain('event PRODUCT_ADDED 0->10');
    expect(r.state?.appliedEventIds).toEqual(['o-1:PROD_0001']);
  });
});

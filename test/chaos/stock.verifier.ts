/**
 * Stock checks of the chaos verifier (pure). Restocks are patches with an ABSOLUTE inventory (as every
 * `product-updates` patch is), so their effect depends on when they were applied: the processor's
 * committed `inventory-events` record it (previous → current). Per product the events must form one
 * chain: each change raises the version by exactly one and starts from the stock the previous change
 * left, so a lost, doubled or replayed change (a zombie's write, a state restored from a stale
 * changelog) breaks the chain. On that chain:
 *   final = initial (catalog) + Σ restock deltas − Σ RESERVED quantities (order-status),
 * and the final stock and version agree in the processor's state, `products` and the API's read model.
 */
import type { ChaosRecords, Discrepancy, InventoryEventRecord, ProductStock } from './records';

const DEDUCTIONS = new Set(['INVENTORY_DECREASED', 'OUT_OF_STOCK']);

interface Chain {
  initial?: number;
  stock?: number;
  version: number;
  restockDelta: number;
  restockValues: number[];
  /** eventId → units deducted, and the stock left */
  deductions: Map<string, { units: number; left: number }[]>;
  rejections: Map<string, number>;
}

function walkChain(productId: string, events: readonly InventoryEventRecord[], out: Discrepancy[]): Chain {
  const chain: Chain = {
    version: 0,
    restockDelta: 0,
    restockValues: [],
    deductions: new Map(),
    rejections: new Map(),
  };
  const broken = (e: InventoryEventRecord, why: string) =>
    out.push({
      check: 'stock-chain',
      subject: productId,
      detail: `${e.eventType} v${e.version} ${e.previousInventory}→${e.currentInventory}${e.eventId ? ` (${e.eventId})` : ''}: ${why}`,
    });
  for (const e of events) {
    if (e.previousInventory < 0 || e.currentInventory < 0)
      out.push({
        check: 'negative-stock',
        subject: productId,
        detail: `${e.eventType} v${e.version} went ${e.previousInventory}→${e.currentInventory}`,
      });
    if (e.eventType === 'ORDER_REJECTED') {
      // A rejection changes nothing: same version, same stock.
      if (
        e.version !== chain.version ||
        e.previousInventory !== chain.stock ||
        e.currentInventory !== chain.stock
      )
        broken(e, `rejection does not match the current state v${chain.version} stock ${chain.stock}`);
      if (e.eventId) chain.rejections.set(e.eventId, (chain.rejections.get(e.eventId) ?? 0) + 1);
      continue;
    }
    if (e.version === chain.version && chain.stock !== undefined) {
      // A second event of the same change (PRICE_CHANGED beside INVENTORY_INCREASED): same result.
      if (e.currentInventory !== chain.stock) broken(e, `differs from v${e.version}'s stock ${chain.stock}`);
      continue;
    }
    if (e.version !== chain.version + 1)
      broken(e, `version jumps from v${chain.version} (a change lost, doubled or replayed)`);
    else if (chain.stock !== undefined && e.previousInventory !== chain.stock)
      broken(e, `starts from ${e.previousInventory} but the stock was ${chain.stock}`);
    if (e.eventType === 'PRODUCT_ADDED') {
      if (chain.initial !== undefined) broken(e, 'product added twice');
      chain.initial ??= e.currentInventory;
    } else if (e.eventId !== undefined && DEDUCTIONS.has(e.eventType)) {
      const list = chain.deductions.get(e.eventId) ?? [];
      list.push({ units: e.previousInventory - e.currentInventory, left: e.currentInventory });
      chain.deductions.set(e.eventId, list);
    } else if (e.eventType !== 'STALE_INVENTORY') {
      chain.restockDelta += e.currentInventory - e.previousInventory;
      chain.restockValues.push(e.currentInventory);
    }
    chain.version = e.version;
    chain.stock = e.currentInventory;
  }
  return chain;
}

function short(values: readonly number[]): string {
  return values.length <= 12
    ? `[${values.join(',')}]`
    : `[${values.slice(0, 12).join(',')},… ${values.length} in all]`;
}

export function verifyStock(r: ChaosRecords): Discrepancy[] {
  const out: Discrepancy[] = [];
  const eventsByProduct = new Map<string, InventoryEventRecord[]>();
  for (const e of r.inventoryEvents) {
    const list = eventsByProduct.get(e.productId) ?? [];
    list.push(e);
    eventsByProduct.set(e.productId, list);
  }
  const statusesByProduct = new Map<string, typeof r.orderStatuses>();
  for (const s of r.orderStatuses) {
    const list = statusesByProduct.get(s.productId) ?? [];
    list.push(s);
    statusesByProduct.set(s.productId, list);
  }
  const index = (list: readonly ProductStock[] | undefined) =>
    new Map((list ?? []).map((p) => [p.productId, p]));
  const state = index(r.processorState);
  const topic = index(r.productsTopic);
  const readModel = r.apiReadModel ? index(r.apiReadModel) : undefined;

  for (const product of r.catalog) {
    const id = product.productId;
    const chain = walkChain(id, eventsByProduct.get(id) ?? [], out);
    const statuses = statusesByProduct.get(id) ?? [];
    if (chain.initial !== product.inventory)
      out.push({
        check: 'initial-stock',
        subject: id,
        detail: `catalog stock ${product.inventory}, PRODUCT_ADDED says ${chain.initial ?? 'nothing (never added)'}`,
      });

    for (const [eventId, list] of chain.deductions)
      if (list.length > 1)
        out.push({
          check: 'duplicate-effect',
          subject: eventId,
          detail: `${id} was deducted ${list.length} times for ${eventId} (${list.map((d) => d.units).join('+')} units)`,
        });
    for (const [eventId, n] of chain.rejections)
      if (n > 1)
        out.push({
          check: 'duplicate-effect',
          subject: eventId,
          detail: `${id} rejected ${eventId} ${n} times`,
        });
    for (const s of statuses) {
      const deducted = chain.deductions.get(s.eventId)?.[0];
      if (s.status === 'RESERVED' && (!deducted || deducted.units !== s.quantity))
        out.push({
          check: 'reservation-effect',
          subject: s.eventId,
          detail: deducted
            ? `RESERVED ${s.quantity} of ${id} but inventory-events deducted ${deducted.units}`
            : `RESERVED ${s.quantity} of ${id} but inventory-events has no deduction for it`,
        });
      if (s.status === 'REJECTED' && deducted)
        out.push({
          check: 'reservation-effect',
          subject: s.eventId,
          detail: `REJECTED, yet inventory-events deducted ${deducted.units} of ${id} for it`,
        });
      if (s.remainingInventory !== null && s.remainingInventory < 0)
        out.push({
          check: 'negative-stock',
          subject: s.eventId,
          detail: `${id} left at ${s.remainingInventory}`,
        });
    }
    const reservedIds = new Set(statuses.filter((s) => s.status === 'RESERVED').map((s) => s.eventId));
    for (const eventId of chain.deductions.keys())
      if (!reservedIds.has(eventId))
        out.push({
          check: 'reservation-effect',
          subject: eventId,
          detail: `inventory-events deducted ${id} for ${eventId}, which has no RESERVED status`,
        });

    const sent = r.restocks
      .filter((x) => x.productId === id)
      .sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)))
      .map((x) => x.inventory);
    if (sent.join() !== chain.restockValues.join())
      out.push({
        check: 'restocks-applied',
        subject: id,
        detail: `driver set the stock to ${short(sent)}, inventory-events applied ${short(chain.restockValues)}`,
      });

    const reserved = statuses.filter((s) => s.status === 'RESERVED').reduce((sum, s) => sum + s.quantity, 0);
    const expected = product.inventory + chain.restockDelta - reserved;
    const finals: [string, ProductStock | undefined][] = [
      ['processor state', state.get(id)],
      ['products topic', topic.get(id)],
      ...(readModel ? ([['API read model', readModel.get(id)]] as [string, ProductStock | undefined][]) : []),
    ];
    if (chain.stock !== undefined && chain.stock !== expected)
      out.push({
        check: 'stock-equation',
        subject: id,
        detail: `inventory-events end at ${chain.stock}, but initial ${product.inventory} + restocks ${chain.restockDelta} − reserved ${reserved} = ${expected}`,
      });
    for (const [where, p] of finals) {
      if (!p) {
        out.push({ check: 'final-stock', subject: id, detail: `${where} has no record of ${id}` });
        continue;
      }
      if (p.inventory < 0)
        out.push({ check: 'negative-stock', subject: id, detail: `${where}: ${p.inventory}` });
      if (p.inventory !== expected || (p.version !== undefined && p.version !== chain.version))
        out.push({
          check: 'final-stock',
          subject: id,
          detail: `${where} says ${p.inventory}${p.version === undefined ? '' : ` (v${p.version})`}, expected ${expected} (v${chain.version})`,
        });
    }
  }
  return out;
}

import { StockUpdateMatcher, type SettledOrder } from './stock-matcher';

function matcher() {
  const settled: SettledOrder[] = [];
  const m = new StockUpdateMatcher((s) => settled.push(s));
  m.addProduct('A', 100);
  m.addProduct('B', 50);
  return { m, settled, latencies: () => settled.map((s) => [s.ticket.seq, s.latencyMs]) };
}

describe('StockUpdateMatcher', () => {
  it('settles an order when the update showing its deduction arrives after its 201', () => {
    const { m, latencies } = matcher();
    const t = m.place('A');
    expect(t.expectedStock).toBe(99);
    m.accepted(t, 1000);
    m.stockSeen('A', 99, 1040);
    expect(latencies()).toEqual([[0, 40]]);
    expect(m.pending).toBe(0);
  });

  it('ignores updates that do not yet show the deduction and updates of other products', () => {
    const { m, latencies } = matcher();
    const t = m.place('A');
    m.accepted(t, 1000);
    m.stockSeen('A', 100, 1010); // e.g. a staleness event: same stock
    m.stockSeen('B', 49, 1020);
    expect(latencies()).toEqual([]);
    expect(m.pending).toBe(1);
  });

  it('settles every order a coalesced update covers', () => {
    const { m, latencies } = matcher();
    const a1 = m.place('A');
    const a2 = m.place('A');
    m.accepted(a1, 1000);
    m.accepted(a2, 1005);
    m.stockSeen('A', 98, 1050);
    expect(latencies()).toEqual([
      [0, 50],
      [1, 45],
    ]);
    expect(m.overlapping).toBe(1);
  });

  it('settles with latency 0 an order whose update beat its 201, and counts it', () => {
    const { m, latencies } = matcher();
    const t = m.place('B');
    m.stockSeen('B', 49, 990);
    expect(latencies()).toEqual([]);
    m.accepted(t, 1000);
    expect(latencies()).toEqual([[0, 0]]);
    expect(m.updateBefore201).toBe(1);
  });

  it('shifts the expectation of later orders of a product when an order fails', () => {
    const { m, latencies } = matcher();
    const a1 = m.place('A');
    const a2 = m.place('A');
    m.failed(a1);
    expect(a2.expectedStock).toBe(99);
    expect(m.place('A').expectedStock).toBe(98);
    m.accepted(a2, 1000);
    m.stockSeen('A', 99, 1030);
    expect(latencies()).toEqual([[1, 30]]);
    expect(m.pending).toBe(1);
  });

  it('refuses an order of a product it was not told about', () => {
    const { m } = matcher();
    expect(() => m.place('Z')).toThrow('unknown product Z');
  });
});

/**
 * Stock over time, from live updates only (the socket appends a point to this product's history when its
 * inventory changes). A hand-rolled SVG step line: one chart does not justify a charting library's weight.
 */
import { useEffect } from 'react';
import { cacheKeys, type StockPoint } from '../../../lib/cache-keys';
import { useCacheEntry, useQueryCache } from '../../../lib/query-cache';

const W = 320;
const H = 120;
const PAD = 24;

export function stockPath(points: readonly StockPoint[], nowMs: number): { d: string; max: number } {
  const max = Math.max(1, ...points.map((p) => p.inventory));
  if (points.length === 0) return { d: '', max };
  const t0 = points[0].tMs;
  const span = Math.max(1, nowMs - t0);
  const x = (t: number) => PAD + ((t - t0) / span) * (W - 2 * PAD);
  const y = (v: number) => H - PAD - (v / max) * (H - 2 * PAD);
  let d = `M${x(points[0].tMs).toFixed(1)},${y(points[0].inventory).toFixed(1)}`;
  for (let i = 1; i < points.length; i++) {
    d += ` H${x(points[i].tMs).toFixed(1)} V${y(points[i].inventory).toFixed(1)}`;
  }
  d += ` H${x(nowMs).toFixed(1)}`;
  return { d, max };
}

export function StockChart({ productId, inventory }: { productId: string; inventory: number }) {
  const cache = useQueryCache();
  const key = cacheKeys.stockHistory(productId);
  const history = useCacheEntry<StockPoint[]>(key).data;

  useEffect(() => {
    // Start the history with the stock as first seen; the socket adds a point per change.
    cache.setData<StockPoint[]>(key, (prev) => prev ?? [{ tMs: Date.now(), inventory }]);
  }, [cache, key, inventory]);

  const points = history ?? [];
  const { d, max } = stockPath(points, Date.now());
  return (
    <figure className="stock-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Stock over time for ${productId}`}>
        <line x1={PAD} y1={H - PAD} x2={W - PAD} y2={H - PAD} className="axis" />
        <text x={4} y={PAD} className="axis-label">
          {max}
        </text>
        <text x={4} y={H - PAD} className="axis-label">
          0
        </text>
        {d && <path d={d} className="stock-line" />}
      </svg>
      <figcaption className="muted small">
        Stock since you opened this page ({points.length} {points.length === 1 ? 'point' : 'points'}, live)
      </figcaption>
    </figure>
  );
}

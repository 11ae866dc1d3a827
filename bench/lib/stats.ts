/**
 * Latency percentiles and open-loop rate scheduling for the benchmarks. Pure: no clock, no I/O.
 *
 * Open loop means orders are due at fixed instants (i / rate) whatever the system answers, so a slow
 * response delays nothing that follows and cannot hide its own latency (no coordinated omission).
 */

/** Nearest-rank percentile of ascending `sorted` values (p in 0..100); NaN when there are none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** p50/p95/p99/max of unsorted latencies, rounded to 0.1 ms. */
export function summarize(latenciesMs: readonly number[]): LatencySummary {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const round = (v: number) => (Number.isNaN(v) ? NaN : Math.round(v * 10) / 10);
  return {
    count: sorted.length,
    p50Ms: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted.length ? sorted[sorted.length - 1]! : NaN),
  };
}

/** How many orders are due `elapsedMs` after the start at `ratePerSec` (the first is due at 0). */
export function dueCount(elapsedMs: number, ratePerSec: number): number {
  if (elapsedMs < 0 || ratePerSec <= 0) return 0;
  return Math.floor((elapsedMs * ratePerSec) / 1000) + 1;
}

/** The instant (ms after the start) order number `index` (from 0) is due. */
export function dueAtMs(index: number, ratePerSec: number): number {
  return (index * 1000) / ratePerSec;
}

/** Orders in a phase of `durationMs` at `ratePerSec`. */
export function ordersInPhase(durationMs: number, ratePerSec: number): number {
  return Math.round((durationMs * ratePerSec) / 1000);
}

/**
 * Keys ordered by a deadline (a binary min-heap with lazy deletion): the per-partition timer index.
 * Timers are state (each product's `staleDeadlineMs`), not a setTimeout per key; this index only
 * answers "which keys are due" in O(log n) and is rebuilt from the store after a restore, so timers
 * survive restarts and rebalances.
 */
export class DeadlineIndex {
  private readonly current = new Map<string, number>();
  private heap: [number, string][] = [];

  /** Sets (or with null, clears) the deadline of a key. */
  set(key: string, deadlineMs: number | null): void {
    if (deadlineMs === null) {
      this.current.delete(key);
      return;
    }
    if (this.current.get(key) === deadlineMs) return;
    this.current.set(key, deadlineMs);
    this.push([deadlineMs, key]);
    // Stale heap entries accumulate with every re-arm; rebuild when they dominate.
    if (this.heap.length > 64 && this.heap.length > 4 * this.current.size) this.rebuild();
  }

  /** Keys whose deadline is <= nowMs, earliest first; they stay indexed until set(key, …) again. */
  due(nowMs: number, limit = Number.POSITIVE_INFINITY): string[] {
    const out: string[] = [];
    const seen = new Set<string>();
    const keep: [number, string][] = [];
    while (this.heap.length > 0 && this.heap[0]![0] <= nowMs && out.length < limit) {
      const top = this.pop()!;
      // Superseded entries, and duplicates left by a clear followed by the same deadline, are dropped.
      if (this.current.get(top[1]) !== top[0] || seen.has(top[1])) continue;
      seen.add(top[1]);
      out.push(top[1]);
      keep.push(top);
    }
    for (const entry of keep) this.push(entry);
    return out;
  }

  get size(): number {
    return this.current.size;
  }

  private rebuild(): void {
    this.heap = [];
    for (const [key, deadline] of this.current) this.push([deadline, key]);
  }

  private push(entry: [number, string]): void {
    const h = this.heap;
    h.push(entry);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (h[parent]![0] <= h[i]![0]) break;
      [h[parent], h[i]] = [h[i]!, h[parent]!];
      i = parent;
    }
  }

  private pop(): [number, string] | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let smallest = i;
        if (l < h.length && h[l]![0] < h[smallest]![0]) smallest = l;
        if (r < h.length && h[r]![0] < h[smallest]![0]) smallest = r;
        if (smallest === i) break;
        [h[smallest], h[i]] = [h[i]!, h[smallest]!];
        i = smallest;
      }
    }
    return top;
  }
}

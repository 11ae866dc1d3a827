/**
 * Samples the resident memory of every part of the stack (peak per component and peak of their sum)
 * and measures each part's CPU use over a window. Postgres is the postmaster and all its backends:
 * its RSS sum counts the shared buffers once per backend that touched them, so the proportional set
 * size (PSS: shared pages divided among their users) is sampled too; the stack's PSS sum counts every
 * page once and is the honest "memory the stack needs" figure.
 */
import { cpuTicks, processTree, pssKb, rssKb, TICKS_PER_SECOND } from '../lib/proc';

export const COMPONENTS = ['checkout-api', 'inventory-processor', 'cdc-worker', 'kafka', 'postgres'] as const;
export type Component = (typeof COMPONENTS)[number];
type PerComponent = Record<Component, number>;

export interface MemoryWindow {
  /** Peak RSS per component, MiB. */
  rssMb: PerComponent;
  /** Peak of the stack's summed RSS (sampled at one instant), MiB. */
  stackRssMb: number;
  /** Peak PSS of Postgres, MiB (shared memory counted once). */
  postgresPssMb: number;
  /** Peak of the stack's summed PSS, MiB. */
  stackPssMb: number;
  /** CPU use per component over the window, % of one core; `bench` is this load generator. */
  cpuPct: PerComponent & { bench: number };
}

const zero = (): PerComponent => ({
  'checkout-api': 0,
  'inventory-processor': 0,
  'cdc-worker': 0,
  kafka: 0,
  postgres: 0,
});

export class StackSampler {
  private timer?: NodeJS.Timeout;
  private rss = zero();
  private stack = 0;
  private stackPss = 0;
  private pgPss = 0;
  private startTicks = zero();
  private startBenchCpu = process.cpuUsage();
  private startedAt = 0;

  constructor(private readonly pids: Record<Component, number>) {}

  private tree(c: Component): number[] {
    return c === 'postgres' ? processTree(this.pids.postgres) : [this.pids[c]];
  }

  private ticks(): PerComponent {
    const t = zero();
    for (const c of COMPONENTS) t[c] = this.tree(c).reduce((sum, pid) => sum + cpuTicks(pid), 0);
    return t;
  }

  sampleOnce(): void {
    let sum = 0;
    let pssSum = 0;
    for (const c of COMPONENTS) {
      const pids = this.tree(c);
      const mb = pids.reduce((s, pid) => s + rssKb(pid), 0) / 1024;
      const pss = pids.reduce((s, pid) => s + pssKb(pid), 0) / 1024;
      this.rss[c] = Math.max(this.rss[c], mb);
      sum += mb;
      pssSum += pss;
      if (c === 'postgres') this.pgPss = Math.max(this.pgPss, pss);
    }
    this.stack = Math.max(this.stack, sum);
    this.stackPss = Math.max(this.stackPss, pssSum);
  }

  start(intervalMs = 500): void {
    this.rss = zero();
    this.stack = 0;
    this.stackPss = 0;
    this.pgPss = 0;
    this.startTicks = this.ticks();
    this.startBenchCpu = process.cpuUsage();
    this.startedAt = performance.now();
    this.sampleOnce();
    this.timer = setInterval(() => this.sampleOnce(), intervalMs);
  }

  stop(): MemoryWindow {
    clearInterval(this.timer);
    this.sampleOnce();
    const seconds = (performance.now() - this.startedAt) / 1000;
    const end = this.ticks();
    const cpu = zero();
    for (const c of COMPONENTS)
      cpu[c] = round(((end[c] - this.startTicks[c]) / TICKS_PER_SECOND / seconds) * 100);
    const bench = process.cpuUsage(this.startBenchCpu);
    const rssMb = zero();
    for (const c of COMPONENTS) rssMb[c] = Math.round(this.rss[c]);
    return {
      rssMb,
      stackRssMb: Math.round(this.stack),
      postgresPssMb: Math.round(this.pgPss),
      stackPssMb: Math.round(this.stackPss),
      cpuPct: { ...cpu, bench: round(((bench.user + bench.system) / 1e6 / seconds) * 100) },
    };
  }
}

const round = (v: number) => Math.round(v);

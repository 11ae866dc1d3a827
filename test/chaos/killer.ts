/**
 * The chaos killer: kill -9 at random moments to the API, the CDC worker, each processor instance and
 * the Kafka broker, and an immediate (crash) shutdown of Postgres; each is restarted after a short
 * random downtime. Faults come one at a time (the next waits until the previous component is back),
 * spread over the driving window so every kind lands while orders are flowing.
 */
import type { ChaosPlatform } from './platform';
import { sleep, type Component } from './platform.env';
import type { Rng } from './rng';

export type KillCounts = Record<Component, number>;

export interface PlannedFault {
  atMs: number;
  component: Component;
  downtimeMs: number;
}

const DOWNTIME_MS: Record<Component, [number, number]> = {
  'checkout-api': [500, 4_000],
  'cdc-worker': [500, 4_000],
  'processor-1': [500, 4_000],
  'processor-2': [500, 4_000],
  kafka: [2_000, 6_000],
  postgres: [1_000, 4_000],
};

/**
 * Fault times over [10 %, 85 %] of the window: one slot per fault, a random moment in each slot, the
 * components in random order (so no kind always comes first or last).
 */
export function planFaults(windowMs: number, kills: Partial<KillCounts>, rng: Rng): PlannedFault[] {
  const components = rng.shuffle(
    (Object.entries(kills) as [Component, number][]).flatMap(([c, n]) => Array<Component>(n).fill(c)),
  );
  const from = windowMs * 0.1;
  const slot = components.length > 0 ? (windowMs * 0.75) / components.length : 0;
  return components.map((component, i) => {
    const [min, max] = DOWNTIME_MS[component];
    return {
      atMs: Math.round(from + slot * (i + rng.next() * 0.8)),
      component,
      downtimeMs: rng.int(min, max),
    };
  });
}

export function emptyKillCounts(): KillCounts {
  return { 'checkout-api': 0, 'cdc-worker': 0, 'processor-1': 0, 'processor-2': 0, kafka: 0, postgres: 0 };
}

export class Killer {
  readonly done = emptyKillCounts();
  private stopped = false;

  constructor(
    private readonly platform: ChaosPlatform,
    private readonly plan: readonly PlannedFault[],
    private readonly log: (line: string) => void,
  ) {}

  /** Runs the plan from `startedMs`; resolves when every fault was injected and its component is back. */
  async run(startedMs: number): Promise<void> {
    for (const fault of this.plan) {
      const wait = startedMs + fault.atMs - Date.now();
      if (wait > 0) await sleep(wait);
      if (this.stopped) return;
      const t = ((Date.now() - startedMs) / 1000).toFixed(1);
      const how = fault.component === 'postgres' ? 'crash stop (pg_ctl -m immediate)' : 'kill -9';
      this.log(`killer: t=${t}s ${how} ${fault.component}, restart in ${fault.downtimeMs} ms`);
      await this.platform.kill(fault.component);
      this.done[fault.component]++;
      await sleep(fault.downtimeMs);
      const began = Date.now();
      const ready = await this.platform.restart(fault.component);
      this.log(
        `killer: ${fault.component} ${ready ? 'ready' : 'NOT ready'} ${Date.now() - began} ms after restart`,
      );
    }
  }

  stop(): void {
    this.stopped = true;
  }
}

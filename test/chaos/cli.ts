/**
 * `npm run chaos -- --orders 10000 --duration 300 [--seed N] [--kills checkout-api=3,kafka=2,...]
 *  [--settle 300] [--keep-infra]`
 *
 * Starts the platform on its own ports and folders (.data/chaos), drives orders while killing its parts,
 * verifies what was committed, prints ALL-RECORDS-DELIVERED or every discrepancy, then the JSON summary
 * as the last line. Exits 0 only when every record was delivered. Progress goes to stderr.
 */
import { chaosOptions, defaultKills, report, runChaos, type ChaosOptions } from './chaos-run';
import type { KillCounts } from './killer';
import type { Component } from './platform.env';

const COMPONENTS: readonly Component[] = [
  'checkout-api',
  'cdc-worker',
  'processor-1',
  'processor-2',
  'kafka',
  'postgres',
];

export function parseArgs(argv: readonly string[]): ChaosOptions {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`);
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (name === 'keep-infra') flags.set(name, 'true');
    else flags.set(name, inline ?? argv[++i] ?? '');
  }
  const known = new Set([
    'orders',
    'duration',
    'seed',
    'kills',
    'settle',
    'keep-infra',
    'restock-every',
    'poison',
  ]);
  for (const name of flags.keys()) if (!known.has(name)) throw new Error(`unknown option --${name}`);
  const int = (name: string, fallback: number) => {
    const raw = flags.get(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0)
      throw new Error(`--${name} must be a non-negative integer, got ${raw}`);
    return n;
  };
  const orders = int('orders', 10_000);
  let kills: Partial<KillCounts> = defaultKills(orders);
  if (flags.has('kills')) {
    kills = {};
    for (const part of flags.get('kills')!.split(',').filter(Boolean)) {
      const [component, count] = part.split('=') as [Component, string];
      if (!COMPONENTS.includes(component))
        throw new Error(`--kills: unknown component ${component} (${COMPONENTS.join(', ')})`);
      if (!/^\d+$/.test(count ?? '')) throw new Error(`--kills: ${component} needs a count (${component}=2)`);
      kills[component] = Number(count);
    }
  }
  return chaosOptions({
    orders,
    kills,
    ...(flags.has('duration') && { durationS: int('duration', 300) }),
    ...(flags.has('seed') && { seed: int('seed', 0) }),
    ...(flags.has('restock-every') && { restockEvery: Math.max(1, int('restock-every', 20)) }),
    ...(flags.has('poison') && { poisonRecords: int('poison', 0) }),
    ...(flags.has('settle') && { settleTimeoutS: int('settle', 300) }),
    keepInfra: flags.has('keep-infra'),
  });
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  options.log(
    `seed ${options.seed}: ${options.orders} orders over ${options.durationS} s, faults ${JSON.stringify(options.kills)}`,
  );
  const result = await runChaos(options);
  for (const line of report(result)) process.stdout.write(`${line}\n`);
  process.exit(result.discrepancies.length === 0 ? 0 : 1);
}

// Run by scripts/run-ts.js (which sets argv[1] to this file), not when a test imports parseArgs.
if (process.argv[1] === __filename) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(2);
  });
}

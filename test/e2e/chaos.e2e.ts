/**
 * The short chaos run (issue 8): 1,000 orders through the real platform on its own ports and folder
 * (.data/chaos-e2e, ports 300 above `npm run chaos`'s) while the killer sends kill -9 to the API, the
 * CDC worker, each processor instance and the Kafka broker and crash-restarts Postgres once. The
 * verifier must find ALL-RECORDS-DELIVERED.
 * The full run is `npm run chaos -- --orders 10000 --duration 300`. A failing seed replays with
 * CHAOS_SEED=<seed>.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Its own ports and folder, so `npm test` and a manual `npm run chaos` never touch each other's platform
// (read when the chaos modules load, below).
process.env.CHAOS_PORT_OFFSET = '300';
process.env.CHAOS_DATA_DIR = '.data/chaos-e2e';

jest.setTimeout(15 * 60_000);

it('1,000 orders while every component is killed: every record delivered, no discrepancy', async () => {
  const { chaosOptions, report, runChaos } = await import('../chaos/chaos-run');
  const { REPO_ROOT } = await import('../chaos/platform.env');
  const { ALL_RECORDS_DELIVERED } = await import('../chaos/verifier');
  const progress: string[] = [];
  const options = chaosOptions({
    orders: 1_000,
    durationS: 45,
    settleTimeoutS: 240,
    ...(process.env.CHAOS_SEED && { seed: Number(process.env.CHAOS_SEED) }),
    log: (line) => progress.push(`${new Date().toISOString().slice(11, 19)} ${line}`),
  });
  const result = await runChaos(options);
  const lines = report(result);
  const explain = `seed ${options.seed}\n${progress.join('\n')}\n${lines.join('\n')}`;
  // The whole story (progress, every discrepancy, summary); service logs stay in .data/chaos/logs.
  mkdirSync(join(REPO_ROOT, 'test-results'), { recursive: true });
  writeFileSync(join(REPO_ROOT, 'test-results', 'chaos-e2e.log'), `${explain}\n`);
  process.stderr.write(`chaos e2e: ${lines.at(-1)} (test-results/chaos-e2e.log)\n`);

  expect({ verdict: lines[0], explain }).toEqual({ verdict: ALL_RECORDS_DELIVERED, explain });
  const { summary } = result;
  expect(summary.discrepancies).toBe(0);
  // Every fault actually happened, and the run exercised what the verifier checks.
  expect(Object.values(summary.kills).every((n) => n >= 1)).toBe(true);
  expect(summary.orders.acknowledged).toBe(1_000);
  expect(summary.orders.inPostgres).toBe(1_000);
  expect(summary.orders.direct).toBeGreaterThan(0);
  expect(summary.orders.cdc).toBeGreaterThan(0);
  expect(summary.items.reserved).toBeGreaterThan(0);
  expect(summary.items.rejected).toBeGreaterThan(0);
  expect(summary.poisonRecords).toBeGreaterThanOrEqual(9);
  expect(summary.restocks).toBeGreaterThan(0);
});

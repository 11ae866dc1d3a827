/**
 * Collects the benches' summaries for `npm run bench`: the LAST JSON line of each bench's output,
 * printed as one table and written, with the machine they ran on, to bench/results/latest.json.
 *
 *   node scripts/run-ts.js bench/report.ts --out bench/results/latest.json [--quick] name=output-file…
 */
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { dirname } from 'node:path';
import { lastJsonLine, markdownTable } from './lib/results';

function gitCommit(): string {
  try {
    return execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

/** The scalar figures of a summary as `key=value`, nested objects flattened one level. */
function keyFigures(summary: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(summary)) {
    if (Array.isArray(v)) continue;
    if (v && typeof v === 'object') {
      parts.push(
        `${k}={${Object.entries(v)
          .map(([kk, vv]) => `${kk}:${String(vv)}`)
          .join(', ')}}`,
      );
    } else parts.push(`${k}=${String(v)}`);
  }
  return parts.join('; ');
}

function main(): number {
  const args = process.argv.slice(2);
  const outAt = args.indexOf('--out');
  const out = outAt >= 0 ? args[outAt + 1]! : 'bench/results/latest.json';
  const quick = args.includes('--quick');
  const inputs = args.filter((a) => a.includes('=') && !a.startsWith('--'));
  const benches: Record<string, Record<string, unknown>> = {};
  const rows: string[][] = [];
  for (const input of inputs) {
    const [name, file] = input.split('=') as [string, string];
    const summary = existsSync(file) ? lastJsonLine(readFileSync(file, 'utf8')) : undefined;
    benches[name] = summary ?? { error: `no JSON summary in ${file} (see that file)` };
    rows.push([name, summary ? keyFigures(summary) : `FAILED: no summary (see ${file})`]);
  }
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    loadAverage1mAtEnd: Number(loadavg()[0]!.toFixed(2)),
  };
  const result = { takenAt: new Date().toISOString(), commit: gitCommit(), quick, machine, benches };
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nnpm run bench${quick ? ' --quick' : ''} — ${result.takenAt}, commit ${result.commit}`);
  console.log(
    `machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}`,
  );
  console.log(markdownTable(['bench', 'summary (last JSON line)'], rows));
  console.log(`written to ${out}`);
  return rows.some((r) => r[1]!.startsWith('FAILED')) ? 1 : 0;
}

process.exit(main());

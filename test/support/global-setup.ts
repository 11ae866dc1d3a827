/**
 * Jest global setup of the integration and e2e tiers: starts the real Kafka and PostgreSQL 15 of the
 * tests with the project's own script (`scripts/infra.sh up`, idempotent and locked, so parallel runs
 * share one infrastructure) and remembers whether this run started it.
 */
import { spawnSync } from 'node:child_process';
import { REPO_ROOT, STARTED_FLAG, testInfraEnv } from './test-infra-env';

export default async function globalSetup(): Promise<void> {
  const up = spawnSync('bash', ['scripts/infra.sh', 'up'], {
    cwd: REPO_ROOT,
    env: testInfraEnv(),
    encoding: 'utf8',
    timeout: 10 * 60_000, // the very first run downloads the Kafka jars
  });
  const output = `${up.stdout ?? ''}${up.stderr ?? ''}`;
  if (up.status !== 0) {
    throw new Error(
      `test infrastructure did not start (bash scripts/infra.sh up):\n${output}${up.error?.message ?? ''}`,
    );
  }
  // "starting" means a component was not running before: this run owns the infrastructure.
  if (/: starting/.test(up.stdout)) {
    process.env[STARTED_FLAG] = '1';
    process.stderr.write(`\n${output}`);
  }
}

/**
 * Jest global teardown: stops the test infrastructure only if this run started it and the caller did
 * not ask to keep it (TEST_INFRA_KEEP=1: engineers sharing one machine, or a faster next run).
 */
import { spawnSync } from 'node:child_process';
import { REPO_ROOT, STARTED_FLAG, testInfraEnv } from './test-infra-env';

export default async function globalTeardown(): Promise<void> {
  if (process.env[STARTED_FLAG] !== '1' || process.env.TEST_INFRA_KEEP === '1') return;
  const down = spawnSync('bash', ['scripts/infra.sh', 'down'], {
    cwd: REPO_ROOT,
    env: testInfraEnv(),
    encoding: 'utf8',
    timeout: 2 * 60_000,
  });
  if (down.status !== 0) {
    process.stderr.write(`warning: stopping the test infrastructure failed:\n${down.stdout}${down.stderr}\n`);
  }
  delete process.env[STARTED_FLAG];
}

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '../../../..');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/**
 * A dedicated single-node Kafka for a test that must stop and restart its broker, started with the
 * project's own scripts (scripts/lib/kafka.sh) on free ports and a temporary data folder, so the shared
 * test broker is never touched.
 */
export async function ownBroker() {
  const port = await freePort();
  const controllerPort = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'checkout-api-kafka-'));
  const env = {
    ...process.env,
    REPO_ROOT,
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(controllerPort),
    DATA_DIR: dir,
    LOG_DIR: path.join(dir, 'logs'),
    PID_DIR: path.join(dir, 'pids'),
    KAFKA_LIBS_DIR: path.join(REPO_ROOT, '.data/kafka/libs'),
    KAFKA_HEAP_OPTS: '-Xms64m -Xmx256m',
  };
  const run = (fn: 'kafka_up' | 'kafka_down') => {
    const r = spawnSync(
      'bash',
      [
        '-c',
        `set -euo pipefail; source scripts/lib/common.sh; source scripts/lib/kafka.sh; mkdir -p "$LOG_DIR" "$PID_DIR"; ${fn}`,
      ],
      { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: 120_000 },
    );
    if (r.status !== 0) throw new Error(`${fn} failed: ${r.stdout}${r.stderr}`);
  };
  return {
    brokers: `127.0.0.1:${port}`,
    up: () => run('kafka_up'),
    down: () => run('kafka_down'),
    destroy: () => {
      try {
        run('kafka_down');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * The whole platform for the browser end-to-end suite, on its OWN infrastructure (Kafka 39192,
 * Postgres 35532, data in .data/e2e): the services use the real topic names, so they must not share the
 * integration tier's broker (39092) or a developer's running platform (9092).
 *
 * start(): infra up (scripts/infra.sh) → topics (scripts/manage-topics.ts) → migrations
 * (scripts/manage-db.ts) → storefront build if its sources changed → checkout API, inventory processor
 * and CDC worker as child processes from source (scripts/run-ts.js) → wait until each /health is up.
 * stop(): SIGTERM the three services (SIGKILL after a grace period) and stop the e2e infra, unless
 * E2E_KEEP_INFRA=1. Logs go to logs/e2e/<service>.log.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { logTail, serviceHealth } from '../../support/infra';

export const REPO_ROOT = join(__dirname, '..', '..', '..');

export const E2E_PORTS = {
  kafka: Number(process.env.E2E_KAFKA_PORT ?? 39192),
  kafkaController: Number(process.env.E2E_KAFKA_CONTROLLER_PORT ?? 39193),
  postgres: Number(process.env.E2E_POSTGRES_PORT ?? 35532),
  api: Number(process.env.E2E_API_PORT ?? 38181),
  processor: Number(process.env.E2E_PROCESSOR_PORT ?? 38191),
  cdc: Number(process.env.E2E_CDC_PORT ?? 38192),
};

const LOG_DIR = join(REPO_ROOT, 'logs', 'e2e');
const PID_DIR = join(REPO_ROOT, '.pids', 'e2e');

/** What scripts/infra.sh, manage-topics and manage-db get: the e2e ports and folders. */
export function e2eInfraEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    KAFKA_PORT: String(E2E_PORTS.kafka),
    KAFKA_CONTROLLER_PORT: String(E2E_PORTS.kafkaController),
    POSTGRES_PORT: String(E2E_PORTS.postgres),
    POSTGRES_DB: 'ecommerce',
    POSTGRES_PASSWORD: 'postgres',
    DATA_DIR: '.data/e2e',
    LOG_DIR: 'logs/e2e',
    PID_DIR: '.pids/e2e',
    KAFKA_BOOTSTRAP_SERVERS: `127.0.0.1:${E2E_PORTS.kafka}`,
    POSTGRES_HOST: '127.0.0.1',
    POSTGRES_USER: 'postgres',
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'info',
  };
}

interface ServiceSpec {
  name: 'checkout-api' | 'inventory-processor' | 'cdc-worker';
  entry: string;
  port: number;
  env: Record<string, string>;
  /** True when /health says this service is ready for the scenario. */
  ready: (health: Record<string, unknown>) => boolean;
}

function services(): ServiceSpec[] {
  const { api, processor, cdc } = E2E_PORTS;
  return [
    {
      name: 'inventory-processor',
      entry: 'services/inventory-processor/src/main.ts',
      port: processor,
      env: { PROCESSOR_PORT: String(processor), PROCESSOR_STATE_DIR: '.data/e2e/processor' },
      ready: (h) => h.status === 'up' && h.phase === 'running',
    },
    {
      name: 'cdc-worker',
      entry: 'services/cdc-worker/src/main.ts',
      port: cdc,
      env: { CDC_PORT: String(cdc) },
      ready: (h) => h.status === 'up' && h.connected === true,
    },
    {
      name: 'checkout-api',
      entry: 'services/checkout-api/src/main.ts',
      port: api,
      env: {
        API_PORT: String(api),
        API_HOST: '127.0.0.1',
        API_MODE: 'local',
        STOREFRONT_DIR: 'frontend/dist',
        PROCESSOR_URL: `http://127.0.0.1:${processor}`,
        CDC_URL: `http://127.0.0.1:${cdc}`,
      },
      ready: (h) => h.status === 'up' && (h.readModel as { warm?: boolean } | undefined)?.warm === true,
    },
  ];
}

function run(
  what: string,
  command: string,
  args: string[],
  options: { cwd?: string; timeoutMs: number },
): void {
  const r = spawnSync(command, args, {
    cwd: options.cwd ?? REPO_ROOT,
    env: e2eInfraEnv(),
    encoding: 'utf8',
    timeout: options.timeoutMs,
  });
  if (r.status !== 0) {
    throw new Error(
      `${what} failed (${command} ${args.join(' ')}, exit ${r.status ?? r.signal}):\n${r.stdout ?? ''}${r.stderr ?? ''}${r.error?.message ?? ''}`,
    );
  }
}

function newestMtimeMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtimeMs(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds frontend/dist when it is missing or older than the storefront's or the contracts' sources. */
export function buildStorefrontIfNeeded(): void {
  const index = join(REPO_ROOT, 'frontend', 'dist', 'index.html');
  const sources = Math.max(
    newestMtimeMs(join(REPO_ROOT, 'frontend', 'src')),
    newestMtimeMs(join(REPO_ROOT, 'services', 'contracts', 'src')),
    statSync(join(REPO_ROOT, 'frontend', 'index.html')).mtimeMs,
  );
  if (existsSync(index) && statSync(index).mtimeMs > sources) return;
  run(
    'storefront build',
    process.execPath,
    [join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'],
    {
      cwd: join(REPO_ROOT, 'frontend'),
      timeoutMs: 180_000,
    },
  );
}

/** A service left behind by an aborted earlier run of this suite (its pid file is ours) is stopped first. */
function stopLeftover(name: string): void {
  const pidFile = join(PID_DIR, `${name}.pid`);
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (cmdline.includes(`services/${name}/src/main.ts`)) process.kill(pid, 'SIGKILL');
  } catch {
    // not running any more
  }
  unlinkSync(pidFile);
}

const health = serviceHealth;

async function waitUntil(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs: number,
  describe: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${describe()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const tail = (file: string) => logTail(file);

export interface E2EPlatform {
  baseUrl: string;
  stop(): Promise<void>;
}

export async function startPlatform(): Promise<E2EPlatform> {
  mkdirSync(LOG_DIR, { recursive: true });
  mkdirSync(PID_DIR, { recursive: true });
  for (const s of services()) stopLeftover(s.name);

  run('e2e infrastructure (scripts/infra.sh up)', 'bash', ['scripts/infra.sh', 'up'], {
    timeoutMs: 10 * 60_000,
  });
  run('topic creation', process.execPath, ['scripts/run-ts.js', 'scripts/manage-topics.ts', 'create'], {
    timeoutMs: 120_000,
  });
  run('database migration', process.execPath, ['scripts/run-ts.js', 'scripts/manage-db.ts', 'migrate'], {
    timeoutMs: 120_000,
  });
  buildStorefrontIfNeeded();

  const children: Array<{ spec: ServiceSpec; child: ChildProcess; log: string }> = [];
  let stopping = false;
  const stop = async () => {
    stopping = true;
    await Promise.all(children.map(({ spec, child }) => stopChild(spec.name, child)));
    if (process.env.E2E_KEEP_INFRA !== '1') {
      spawnSync('bash', ['scripts/infra.sh', 'down'], {
        cwd: REPO_ROOT,
        env: e2eInfraEnv(),
        encoding: 'utf8',
        timeout: 120_000,
      });
    }
  };

  try {
    for (const spec of services()) {
      const log = join(LOG_DIR, `${spec.name}.log`);
      const fd = openSync(log, 'w');
      const child = spawn(process.execPath, ['scripts/run-ts.js', spec.entry], {
        cwd: REPO_ROOT,
        env: { ...e2eInfraEnv(), ...spec.env },
        stdio: ['ignore', fd, fd],
      });
      closeSync(fd);
      writeFileSync(join(PID_DIR, `${spec.name}.pid`), String(child.pid));
      // A service dying mid-scenario shows up as a timeout in the browser; say which one and why.
      child.once('exit', (code, signal) => {
        if (!stopping)
          process.stderr.write(
            `\n${spec.name} exited (${code ?? signal}) during the e2e run; last log lines:\n${tail(log)}\n`,
          );
      });
      children.push({ spec, child, log });
    }
    for (const { spec, child, log } of children) {
      await waitUntil(
        `${spec.name} to be ready on port ${spec.port}`,
        async () => {
          if (child.exitCode !== null)
            throw new Error(`${spec.name} exited with ${child.exitCode}:\n${tail(log)}`);
          const h = await health(spec.port);
          return h !== undefined && spec.ready(h);
        },
        120_000,
        () => `${spec.name} log (${log}):\n${tail(log)}`,
      );
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { baseUrl: `http://127.0.0.1:${E2E_PORTS.api}`, stop };
}

async function stopChild(name: string, child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
  const pidFile = join(PID_DIR, `${name}.pid`);
  if (existsSync(pidFile)) unlinkSync(pidFile);
}

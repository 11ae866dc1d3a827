/**
 * The whole platform for the end-to-end bench, on its OWN ports and folders (Kafka 39492/39493,
 * Postgres 35832, .data/bench; API 38381, processor 38391, CDC worker 38392), so it never touches a
 * running platform or the test infrastructure. Services run as deployed: `node dist/main.js` (the CDC
 * worker with its start script's V8 flags). Every topic, the processor's group and state and the CDC
 * slot are named per run (`bench-<run>.`), so runs on the same infrastructure do not see each other.
 *
 * up(): infra (scripts/infra.sh, left running if it already was) → build → topics → services → ready.
 * down(): services (SIGTERM, SIGKILL after 15 s) → slot, topics, rows, state → infra (if we started it).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { Pool } from 'pg';
import { TOPIC_SPECS, TOPICS } from '@kartshoppe/contracts';
import { logTail, serviceHealth } from '../../test/support/infra';

export const ROOT = join(__dirname, '..', '..');
const LOG_DIR = join(ROOT, 'logs', 'bench');
const PID_DIR = join(ROOT, '.pids', 'bench');

const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
export const BENCH_PORTS = {
  kafka: port('BENCH_KAFKA_PORT', 39492),
  kafkaController: port('BENCH_KAFKA_CONTROLLER_PORT', 39493),
  postgres: port('BENCH_POSTGRES_PORT', 35832),
  api: port('BENCH_API_PORT', 38381),
  processor: port('BENCH_PROCESSOR_PORT', 38391),
  cdc: port('BENCH_CDC_PORT', 38392),
};

/** What scripts/infra.sh and the services get: the bench's ports and folders. */
export function benchEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    KAFKA_PORT: String(BENCH_PORTS.kafka),
    KAFKA_CONTROLLER_PORT: String(BENCH_PORTS.kafkaController),
    KAFKA_BOOTSTRAP_SERVERS: `127.0.0.1:${BENCH_PORTS.kafka}`,
    POSTGRES_HOST: '127.0.0.1',
    POSTGRES_PORT: String(BENCH_PORTS.postgres),
    POSTGRES_DB: 'ecommerce',
    POSTGRES_USER: 'postgres',
    POSTGRES_PASSWORD: 'postgres',
    DATA_DIR: '.data/bench',
    LOG_DIR: 'logs/bench',
    PID_DIR: '.pids/bench',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
  };
}

export type ServiceName = 'inventory-processor' | 'cdc-worker' | 'checkout-api';

interface ServiceSpec {
  name: ServiceName;
  nodeArgs: string[];
  port: number;
  env: Record<string, string>;
  ready: (health: Record<string, unknown>) => boolean;
}

export interface Stack {
  run: string;
  topicPrefix: string;
  apiBase: string;
  pool: Pool;
  kafka: Kafka;
  /** pid of each service, of the Kafka broker and of the postmaster. */
  pids: Record<ServiceName | 'kafka' | 'postgres', number>;
  down(): Promise<void>;
}

function runOrThrow(what: string, args: string[], timeoutMs: number): void {
  const r = spawnSync(args[0]!, args.slice(1), {
    cwd: ROOT,
    env: benchEnv(),
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  if (r.status !== 0) {
    throw new Error(`${what} failed (exit ${r.status ?? r.signal}):\n${r.stdout ?? ''}${r.stderr ?? ''}`);
  }
}

const infraRunning = () =>
  spawnSync('bash', ['scripts/infra.sh', 'status'], { cwd: ROOT, env: benchEnv(), stdio: 'ignore' })
    .status === 0;

function readPid(file: string): number {
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no pid in ${file}`);
  return pid;
}

function specs(prefix: string, run: string): ServiceSpec[] {
  const { api, processor, cdc } = BENCH_PORTS;
  return [
    {
      name: 'inventory-processor',
      nodeArgs: ['services/inventory-processor/dist/main.js'],
      port: processor,
      env: {
        PROCESSOR_PORT: String(processor),
        PROCESSOR_APP_ID: `${prefix}inventory-processor`,
        PROCESSOR_TOPIC_PREFIX: prefix,
        PROCESSOR_STATE_DIR: `.data/bench/processor-${run}`,
      },
      ready: (h) => h.status === 'up' && h.phase === 'running',
    },
    {
      name: 'cdc-worker',
      // As its package start script runs it.
      nodeArgs: ['--max-semi-space-size=2', '--max-old-space-size=128', 'services/cdc-worker/dist/main.js'],
      port: cdc,
      env: {
        CDC_PORT: String(cdc),
        CDC_SLOT_NAME: `bench_e2e_${run}`,
        CDC_ORDER_EVENTS_TOPIC: `${prefix}${TOPICS.orderEvents}`,
        CDC_DEAD_LETTERS_TOPIC: `${prefix}${TOPICS.deadLetters}`,
        CDC_ENVELOPE_TOPIC_PREFIX: `${prefix}cdc`,
        CDC_CREATE_TOPICS: 'false',
      },
      ready: (h) => h.status === 'up' && h.connected === true,
    },
    {
      name: 'checkout-api',
      nodeArgs: ['services/checkout-api/dist/main.js'],
      port: api,
      env: {
        API_PORT: String(api),
        API_HOST: '127.0.0.1',
        API_MODE: 'local',
        PROCESSOR_URL: `http://127.0.0.1:${processor}`,
        CDC_URL: `http://127.0.0.1:${cdc}`,
        READ_MODEL_GROUP_PREFIX: `${prefix}read-model`,
        ORDER_STATUS_GROUP_ID: `${prefix}order-status`,
        TOPIC_PRODUCTS: `${prefix}${TOPICS.products}`,
        TOPIC_INVENTORY_EVENTS: `${prefix}${TOPICS.inventoryEvents}`,
        TOPIC_WEBSOCKET_FANOUT: `${prefix}${TOPICS.websocketFanout}`,
        TOPIC_INVENTORY_ALERTS: `${prefix}${TOPICS.inventoryAlerts}`,
        TOPIC_ORDER_STATUS: `${prefix}${TOPICS.orderStatus}`,
        TOPIC_ORDER_EVENTS: `${prefix}${TOPICS.orderEvents}`,
        TOPIC_DEAD_LETTERS: `${prefix}${TOPICS.deadLetters}`,
      },
      ready: (h) => h.status === 'up' && (h.readModel as { warm?: boolean } | undefined)?.warm === true,
    },
  ];
}

/** Every platform topic under the run's prefix, partitioned and compacted as manage-topics does. */
async function createTopics(admin: Admin, prefix: string): Promise<string[]> {
  const topics = TOPIC_SPECS.map((s) => ({
    topic: `${prefix}${s.name}`,
    numPartitions: 6,
    configEntries: s.compacted ? [{ name: 'cleanup.policy', value: 'compact' }] : [],
  }));
  await admin.createTopics({ waitForLeaders: true, topics });
  return topics.map((t) => t.topic);
}

/** A service left behind by an aborted earlier run (its pid file is ours, its command line says so). */
function stopLeftover(spec: ServiceSpec): void {
  const file = join(PID_DIR, `${spec.name}.pid`);
  if (!existsSync(file)) return;
  try {
    const pid = readPid(file);
    if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(spec.nodeArgs.at(-1)!))
      process.kill(pid, 'SIGKILL');
  } catch {
    // gone already
  }
  unlinkSync(file);
}

const health = serviceHealth;

const tail = (file: string) => logTail(file, 20);

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

export async function startStack(log: (line: string) => void): Promise<Stack> {
  mkdirSync(LOG_DIR, { recursive: true });
  mkdirSync(PID_DIR, { recursive: true });
  const run = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const prefix = `bench-${run}.`;
  const serviceSpecs = specs(prefix, run);
  serviceSpecs.forEach(stopLeftover);

  const startedInfra = !infraRunning();
  if (startedInfra) {
    log('starting Kafka and Postgres (scripts/infra.sh up, .data/bench)…');
    runOrThrow('scripts/infra.sh up', ['bash', 'scripts/infra.sh', 'up'], 10 * 60_000);
  }
  log('building the services (tsc -b tsconfig.build.json)…');
  runOrThrow(
    'build',
    [process.execPath, 'node_modules/typescript/bin/tsc', '-b', 'tsconfig.build.json'],
    600_000,
  );

  const env = benchEnv();
  const kafka = new Kafka({
    clientId: 'e2e-bench',
    brokers: [env.KAFKA_BOOTSTRAP_SERVERS!],
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  const pool = new Pool({
    host: '127.0.0.1',
    port: BENCH_PORTS.postgres,
    user: 'postgres',
    password: 'postgres',
    database: 'ecommerce',
    max: 4,
  });
  const children: { spec: ServiceSpec; child: ChildProcess }[] = [];
  let topics: string[] = [];
  let stopping = false;

  const down = async () => {
    stopping = true;
    await Promise.all(children.map(({ child }) => stopChild(child)));
    for (const { spec } of children) rmSync(join(PID_DIR, `${spec.name}.pid`), { force: true });
    const slot = `bench_e2e_${run}`;
    await pool
      .query('SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1', [
        slot,
      ])
      .catch((e: Error) => log(`could not drop slot ${slot}: ${e.message}`));
    await pool.query('DELETE FROM orders WHERE session_id LIKE $1', [`${prefix}%`]).catch(() => undefined);
    await pool
      .query('DELETE FROM cart_items WHERE session_id LIKE $1', [`${prefix}%`])
      .catch(() => undefined);
    await pool.end();
    if (topics.length) await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
    rmSync(join(ROOT, '.data', 'bench', `processor-${run}`), { recursive: true, force: true });
    if (startedInfra && process.env.BENCH_KEEP_INFRA !== '1') {
      spawnSync('bash', ['scripts/infra.sh', 'down'], { cwd: ROOT, env, stdio: 'ignore', timeout: 120_000 });
    }
  };

  try {
    topics = await createTopics(admin, prefix);
    for (const spec of serviceSpecs) {
      const logFile = join(LOG_DIR, `${spec.name}.log`);
      const fd = openSync(logFile, 'w');
      const child = spawn(process.execPath, spec.nodeArgs, {
        cwd: ROOT,
        env: { ...env, ...spec.env },
        stdio: ['ignore', fd, fd],
      });
      closeSync(fd);
      writeFileSync(join(PID_DIR, `${spec.name}.pid`), String(child.pid));
      child.once('exit', (code, signal) => {
        if (!stopping) log(`${spec.name} exited (${code ?? signal}) during the bench:\n${tail(logFile)}`);
      });
      children.push({ spec, child });
      const deadline = Date.now() + 120_000;
      for (;;) {
        if (child.exitCode !== null)
          throw new Error(`${spec.name} exited ${child.exitCode}:\n${tail(logFile)}`);
        const h = await health(spec.port);
        if (h && spec.ready(h)) break;
        if (Date.now() > deadline) throw new Error(`${spec.name} not ready after 120 s:\n${tail(logFile)}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      log(`${spec.name} ready (pid ${child.pid}, port ${spec.port})`);
    }
  } catch (e) {
    await down();
    throw e;
  }

  const pidOf = (name: ServiceName) => children.find((c) => c.spec.name === name)!.child.pid!;
  return {
    run,
    topicPrefix: prefix,
    apiBase: `http://127.0.0.1:${BENCH_PORTS.api}`,
    pool,
    kafka,
    pids: {
      'checkout-api': pidOf('checkout-api'),
      'inventory-processor': pidOf('inventory-processor'),
      'cdc-worker': pidOf('cdc-worker'),
      kafka: readPid(join(PID_DIR, 'kafka.pid')),
      postgres: readPid(join(PID_DIR, 'postgres.pid')),
    },
    down,
  };
}

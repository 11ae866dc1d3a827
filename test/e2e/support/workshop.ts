/**
 * What the workshop end-to-end suite needs to act as a user in a terminal: run the root scripts and
 * `npm run topics`, call the public HTTP API, and check ports and processes. Everything runs on the
 * suite's OWN ports and folders (Kafka 39292/39293, Postgres 35632, API 38081, processor 38091, CDC
 * 38092, data in .data/workshop-e2e with its logs, pids and settings file inside), passed the way a
 * user overrides .env: as environment variables.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..', '..');

export const WORKSHOP_PORTS = {
  kafka: 39292,
  kafkaController: 39293,
  postgres: 35632,
  api: 38081,
  processor: 38091,
  cdc: 38092,
} as const;

export const WORKSHOP_DIRS = {
  data: '.data/workshop-e2e',
  logs: '.data/workshop-e2e/logs',
  pids: '.data/workshop-e2e/pids',
  /** The suite's own settings file (a developer's .env is never read or created). */
  envFile: '.data/workshop-e2e/.env',
} as const;

export const API_URL = `http://127.0.0.1:${WORKSHOP_PORTS.api}`;

/** Every variable .env.example documents: inherited values of these must not leak into the scripts. */
function documentedVariables(): string[] {
  const text = readFileSync(join(REPO_ROOT, '.env.example'), 'utf8');
  return [...text.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]);
}

/**
 * The environment of every command: the inherited one without any KartShoppe setting (a developer's
 * shell or another suite may export API_PORT & co.), plus the suite's ports and folders. The derived
 * settings (KAFKA_BOOTSTRAP_SERVERS, PROCESSOR_URL, CDC_URL, PROCESSOR_STATE_DIR) are deliberately
 * left out: the scripts must derive them from the ports and DATA_DIR.
 */
export function workshopEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of [...documentedVariables(), 'ENV_FILE', 'API_URL', 'USE_DOCKER']) delete env[name];
  return {
    ...env,
    KAFKA_PORT: String(WORKSHOP_PORTS.kafka),
    KAFKA_CONTROLLER_PORT: String(WORKSHOP_PORTS.kafkaController),
    POSTGRES_PORT: String(WORKSHOP_PORTS.postgres),
    API_PORT: String(WORKSHOP_PORTS.api),
    PROCESSOR_PORT: String(WORKSHOP_PORTS.processor),
    CDC_PORT: String(WORKSHOP_PORTS.cdc),
    DATA_DIR: WORKSHOP_DIRS.data,
    LOG_DIR: WORKSHOP_DIRS.logs,
    PID_DIR: WORKSHOP_DIRS.pids,
    ENV_FILE: WORKSHOP_DIRS.envFile,
    // The suite exercises the native path even on a machine where a Docker engine answers.
    USE_DOCKER: 'false',
    ...extra,
  };
}

export interface CommandResult {
  command: string;
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** One line describing a command's outcome, with its output: what a failed expectation should show. */
export function describeResult(r: CommandResult): string {
  return `${r.command} → exit ${r.code} after ${r.ms} ms\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;
}

/**
 * Runs a command from the repository root like a user in a terminal (no input). It is killed with
 * its process group after timeoutMs, so a hanging script fails the test instead of the run. The
 * background services the scripts start run in their own sessions (setsid) and survive that.
 */
export function runCommand(
  command: string,
  args: string[],
  options: { timeoutMs: number; env?: Record<string, string> },
): Promise<CommandResult> {
  const started = Date.now();
  const label = [command, ...args].join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: REPO_ROOT,
      env: workshopEnv(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, options.timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    // 'close' waits for the pipes; a daemon that kept them open would hold it forever, so 'exit'
    // plus a short grace period is enough.
    let settled = false;
    const finish = (code: number | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const result = { command: label, code, stdout, stderr, ms: Date.now() - started };
      if (timedOut) reject(new Error(`timed out after ${options.timeoutMs} ms: ${describeResult(result)}`));
      else resolve(result);
    };
    child.once('close', (code) => finish(code));
    child.once('exit', (code) => setTimeout(() => finish(code), 2000).unref());
  });
}

/** `./<script>.sh args…` from the repository root. */
export function runScript(
  script: string,
  args: string[] = [],
  timeoutMs = 240_000,
  env?: Record<string, string>,
) {
  return runCommand(`./${script}`, args, { timeoutMs, env });
}

/** `npm run topics -- args…`: the records it prints on stdout, one JSON object per line. */
export function topicsCli(args: string[]): Promise<{ result: CommandResult; records: TopicRecord[] }> {
  return topicRecords(runCommand('npm', ['run', 'topics', '--', ...args], { timeoutMs: 90_000 }));
}

/** A command line exactly as a script printed it for the user to paste (run by bash, quotes and all). */
export function pasteCommand(line: string): Promise<{ result: CommandResult; records: TopicRecord[] }> {
  return topicRecords(runCommand('bash', ['-c', line], { timeoutMs: 90_000 }));
}

/** The `npm run topics -- …` lines a script's output tells the user to run. */
export function printedTopicsCommands(stdout: string): string[] {
  return stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('npm run topics -- '));
}

async function topicRecords(
  running: Promise<CommandResult>,
): Promise<{ result: CommandResult; records: TopicRecord[] }> {
  const result = await running;
  if (result.code !== 0) throw new Error(`npm run topics failed: ${describeResult(result)}`);
  // npm itself prints a "> kartshoppe-ts@… topics" banner on stdout before the records.
  const records = result.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as TopicRecord);
  return { result, records };
}

export interface TopicRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Record<string, unknown>;
}

export async function api<T>(path: string, init?: { method?: string; body?: unknown }): Promise<T> {
  const res = await fetch(`${API_URL}${path}`, {
    method: init?.method ?? 'GET',
    headers: init?.body === undefined ? {} : { 'content-type': 'application/json' },
    body: init?.body === undefined ? undefined : JSON.stringify(init.body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${path} → ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.setTimeout(2000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Listens on 127.0.0.1:port (a foreign process holding it); close() frees it. */
export async function holdPort(port: number): Promise<Server> {
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return server;
}

/** A process the scripts started: its pid and what its command line contains. */
export interface OurProcess {
  name: string;
  pid: number;
  cmdline: string;
}

function readPid(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0].trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function cmdlineOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return undefined;
  }
}

/** Every live process named by the suite's pid files (services, Kafka) and Postgres's postmaster.pid. */
export function ourProcesses(): OurProcess[] {
  const pidDir = join(REPO_ROOT, WORKSHOP_DIRS.pids);
  const files = existsSync(pidDir)
    ? readdirSync(pidDir)
        .filter((f) => f.endsWith('.pid'))
        .map((f) => ({ name: f.replace(/\.pid$/, ''), file: join(pidDir, f) }))
    : [];
  files.push({
    name: 'postgres',
    file: join(REPO_ROOT, WORKSHOP_DIRS.data, 'postgres', 'data', 'postmaster.pid'),
  });
  const found: OurProcess[] = [];
  for (const { name, file } of files) {
    const pid = readPid(file);
    const cmdline = pid === undefined ? undefined : cmdlineOf(pid);
    // Postgres is named twice (scripts/infra.sh's pid file and its own postmaster.pid).
    if (pid !== undefined && cmdline !== undefined && !found.some((p) => p.pid === pid))
      found.push({ name, pid, cmdline });
  }
  return found;
}

/** True while pid runs the same program (a recycled pid running something else counts as gone). */
export function stillRunning(p: OurProcess): boolean {
  const now = cmdlineOf(p.pid);
  if (now === undefined || now !== p.cmdline) return false;
  try {
    const stat = readFileSync(`/proc/${p.pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat); // a zombie has exited
  } catch {
    return false;
  }
}

/** The last lines of one of the suite's logs (for failure messages). */
export function logTail(name: string, lines = 40): string {
  const file = join(REPO_ROOT, WORKSHOP_DIRS.logs, name);
  if (!existsSync(file)) return `(no ${file})`;
  return `--- ${file} ---\n${readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n')}`;
}

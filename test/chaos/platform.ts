/**
 * The platform under chaos, on its OWN ports and folders (never a developer's platform, the test infra
 * or the e2e suite): Kafka 39392/39393, Postgres 35732, API 38281, processor instances 38291 and 38293
 * (one consumer group, own instance ids and state folders), CDC worker 38292; data, logs and pid files
 * under .data/chaos (wiped at the start of every run, kept afterwards for inspection).
 *
 * Services run from the built dist/ as child processes (`node services/<name>/dist/main.js`). They are
 * supervised like systemd's Restart=always: a service that exits by itself is counted as an unexpected
 * exit and restarted; one the killer killed is restarted by the killer.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CHAOS_DATA_DIR,
  CHAOS_LOG_DIR,
  CHAOS_PID_DIR,
  REPO_ROOT,
  SERVICES,
  chaosEnv,
  health,
  serviceSpec,
  sleep,
  type Component,
  type ServiceName,
} from './platform.env';
import type { ComponentHealth } from './records';
import { logTail } from '../support/infra';

const tail = (file: string, lines = 25) => logTail(file, lines);

export interface UnexpectedExit {
  component: ServiceName;
  atMs: number;
  exit: string;
  logTail: string;
}

export class ChaosPlatform {
  readonly unexpectedExits: UnexpectedExit[] = [];
  private readonly children = new Map<ServiceName, ChildProcess>();
  /** Services the killer took down on purpose (it restarts them itself). */
  private readonly killed = new Set<ServiceName>();
  private stopping = false;

  constructor(private readonly log: (line: string) => void) {}

  /** Leftovers of an aborted run stopped, folder wiped, dist built, infra up, topics, migrations. */
  async prepare(): Promise<void> {
    this.stopLeftovers();
    await this.run(
      'stopping leftover chaos infrastructure',
      'bash',
      ['scripts/infra.sh', 'down'],
      120_000,
      true,
    );
    rmSync(join(REPO_ROOT, CHAOS_DATA_DIR), { recursive: true, force: true });
    mkdirSync(join(REPO_ROOT, CHAOS_PID_DIR), { recursive: true });
    mkdirSync(join(REPO_ROOT, CHAOS_LOG_DIR), { recursive: true });
    await this.run('build (tsc -b tsconfig.build.json)', process.execPath, [
      'node_modules/typescript/bin/tsc',
      '-b',
      'tsconfig.build.json',
    ]);
    await this.run('chaos infrastructure (scripts/infra.sh up)', 'bash', ['scripts/infra.sh', 'up'], 600_000);
    await this.run('topics', process.execPath, ['scripts/run-ts.js', 'scripts/manage-topics.ts', 'create']);
    await this.run('migrations', process.execPath, ['scripts/run-ts.js', 'scripts/manage-db.ts', 'migrate']);
  }

  /** One after the other, each ready before the next starts (the second processor joins a running group). */
  async startAll(timeoutMs = 120_000): Promise<void> {
    for (const name of SERVICES) {
      this.spawnService(name);
      if (!(await this.waitReady(name, timeoutMs))) {
        throw new Error(`${name} not ready after ${timeoutMs} ms:\n${tail(this.logFile(name))}`);
      }
    }
  }

  logFile(name: string): string {
    return join(REPO_ROOT, CHAOS_LOG_DIR, `${name}.log`);
  }

  isRunning(name: ServiceName): boolean {
    const child = this.children.get(name);
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  /** Whether the service says it is ready (the same test as after a restart), with what it said. */
  async readiness(name: ServiceName): Promise<ComponentHealth> {
    const h = await health(serviceSpec(name).port);
    const ready = h !== undefined && serviceSpec(name).ready(h);
    const detail = h === undefined ? 'no answer on /health' : `status ${h.status}, phase ${h.phase ?? '-'}`;
    return { component: name, ready, detail };
  }

  async waitReady(name: ServiceName, timeoutMs: number): Promise<boolean> {
    const spec = serviceSpec(name);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const h = await health(spec.port);
      if (h && spec.ready(h)) return true;
      await sleep(250);
    }
    return false;
  }

  /** kill -9 (SIGKILL): no shutdown hook runs. Postgres gets an immediate shutdown (a crash, WAL recovery). */
  async kill(component: Component): Promise<void> {
    if (component === 'kafka') {
      const pid = Number(readFileSync(join(REPO_ROOT, CHAOS_PID_DIR, 'kafka.pid'), 'utf8'));
      process.kill(pid, 'SIGKILL');
      while (existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z'))
        await sleep(50);
      return;
    }
    if (component === 'postgres') {
      const pgCtl = [
        '/usr/lib/postgresql/15/bin/pg_ctl',
        process.env.PG_BIN && `${process.env.PG_BIN}/pg_ctl`,
      ].find((p) => p && existsSync(p));
      if (!pgCtl) throw new Error('pg_ctl not found (set PG_BIN)');
      const args = [
        '-D',
        join(REPO_ROOT, CHAOS_DATA_DIR, 'postgres', 'data'),
        '-m',
        'immediate',
        '-w',
        'stop',
      ];
      const asRoot = process.getuid?.() === 0;
      await this.run(
        'postgres immediate stop',
        asRoot ? 'runuser' : pgCtl,
        asRoot ? ['-u', 'postgres', '--', pgCtl, ...args] : args,
      );
      return;
    }
    const child = this.children.get(component);
    if (!child || !this.isRunning(component)) return;
    this.killed.add(component);
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGKILL');
    await exited;
  }

  /** Starts a component again; resolves once it is ready (false if it did not get ready in time). */
  async restart(component: Component, readyTimeoutMs = 120_000): Promise<boolean> {
    if (component === 'kafka' || component === 'postgres') {
      await this.run(
        `${component} restart (scripts/infra.sh up)`,
        'bash',
        ['scripts/infra.sh', 'up'],
        600_000,
      );
      return true;
    }
    this.killed.delete(component);
    if (!this.isRunning(component)) this.spawnService(component);
    return this.waitReady(component, readyTimeoutMs);
  }

  /** Any service not running (a crash the supervisor has not restarted yet) is started. */
  ensureAllRunning(): void {
    for (const name of SERVICES) {
      this.killed.delete(name);
      if (!this.isRunning(name)) this.spawnService(name);
    }
  }

  async stop(keepInfra = false): Promise<void> {
    this.stopping = true;
    await Promise.all(
      [...this.children].map(async ([name, child]) => {
        if (!this.isRunning(name)) return;
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }),
    );
    if (!keepInfra)
      await this.run('chaos infrastructure down', 'bash', ['scripts/infra.sh', 'down'], 120_000, true);
  }

  private spawnService(name: ServiceName): void {
    const spec = serviceSpec(name);
    const log = this.logFile(name);
    const fd = openSync(log, 'a');
    const child = spawn(process.execPath, [spec.entry], {
      cwd: REPO_ROOT,
      env: { ...chaosEnv(), ...spec.env },
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    writeFileSync(join(REPO_ROOT, CHAOS_PID_DIR, `${name}.pid`), String(child.pid));
    this.children.set(name, child);
    child.once('exit', (code, signal) => {
      if (this.stopping || this.killed.has(name) || this.children.get(name) !== child) return;
      const exit = String(code ?? signal);
      this.unexpectedExits.push({ component: name, atMs: Date.now(), exit, logTail: tail(log, 15) });
      this.log(`${name} exited by itself (${exit}); restarting it (see ${log})`);
      setTimeout(() => {
        if (!this.stopping && !this.isRunning(name) && !this.killed.has(name)) this.spawnService(name);
      }, 1_000);
    });
  }

  /** A service left by an aborted earlier run (its pid file is ours and names our entry) is killed. */
  private stopLeftovers(): void {
    for (const name of SERVICES) {
      const pidFile = join(REPO_ROOT, CHAOS_PID_DIR, `${name}.pid`);
      if (!existsSync(pidFile)) continue;
      const pid = Number(readFileSync(pidFile, 'utf8'));
      try {
        if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(serviceSpec(name).entry))
          process.kill(pid, 'SIGKILL');
      } catch {
        // not running any more
      }
    }
  }

  /** Runs a command without blocking the event loop (the driver keeps going meanwhile). */
  private async run(what: string, command: string, args: string[], timeoutMs = 180_000, tolerant = false) {
    const started = Date.now();
    const child = spawn(command, args, {
      cwd: REPO_ROOT,
      env: chaosEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const status = await new Promise<number | string>((r) => {
      child.once('error', (e) => r(e.message));
      child.once('exit', (code, signal) => r(code ?? String(signal)));
    });
    clearTimeout(timer);
    if (status !== 0 && !tolerant)
      throw new Error(`${what} failed (exit ${status}):\n${output.slice(-4000)}`);
    this.log(`${what}: ${Date.now() - started} ms${status === 0 ? '' : ` (exit ${status})`}`);
  }
}

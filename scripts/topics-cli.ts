/**
 * The terminal's topic inspector (the workshop's replacement for Kpow), a thin client of the checkout
 * API's /api/topics endpoints:
 *
 *   npm run topics -- list
 *   npm run topics -- tail <topic>[,<topic>…] [--filter EXPR] [--from earliest|latest|<ms timestamp>] [--limit N]
 *   npm run topics -- produce <topic> --key K --value JSON [--header k=v]…
 *
 * Records are printed one JSON object per line on stdout (pipe them into jq); the summary goes to
 * stderr. API at API_URL (default http://127.0.0.1:$API_PORT, port 8081); in remote mode produce needs
 * ADMIN_TOKEN. Like the workshop scripts, each setting comes from the environment, else from .env (or
 * $ENV_FILE), so a port changed in .env is the port the CLI calls.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { ProduceRequest, TopicReadResponse, TopicSummary } from '@kartshoppe/contracts';

export const USAGE = `usage:
  npm run topics -- list
  npm run topics -- tail <topic>[,<topic>...] [--filter EXPR] [--from earliest|latest|<ms timestamp>] [--limit N]
  npm run topics -- produce <topic> --key K --value JSON [--header k=v]...
settings (environment, else .env): API_URL (default http://127.0.0.1:$API_PORT, API_PORT 8081), ADMIN_TOKEN (remote mode produce)`;

export type TopicsCommand =
  | { kind: 'list' }
  | { kind: 'tail'; topics: string[]; filter?: string; from: string; timestampMs?: number; limit: number }
  | { kind: 'produce'; topic: string; request: ProduceRequest };

export class UsageError extends Error {}

const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;

function checkTopic(name: string | undefined, what: string): string {
  if (!name || name.startsWith('--')) throw new UsageError(`${what}: a topic name is required`);
  for (const t of name.split(',')) {
    if (!TOPIC_NAME.test(t)) throw new UsageError(`${what}: "${t}" is not a valid topic name`);
  }
  return name;
}

/** Splits `--flag value` / `--flag=value` options; a flag may repeat (headers). */
function parseOptions(args: string[], allowed: readonly string[]): Map<string, string[]> {
  const options = new Map<string, string[]>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const m = /^--([a-z-]+)(?:=(.*))?$/s.exec(arg);
    if (!m) throw new UsageError(`unexpected argument "${arg}"`);
    const [, name, inline] = m;
    if (!allowed.includes(name))
      throw new UsageError(`unknown option --${name} (allowed: ${allowed.map((a) => `--${a}`).join(', ')})`);
    const value = inline ?? args[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    options.set(name, [...(options.get(name) ?? []), value]);
  }
  return options;
}

function single(options: Map<string, string[]>, name: string): string | undefined {
  const values = options.get(name);
  if (values && values.length > 1) throw new UsageError(`--${name} given more than once`);
  return values?.[0];
}

/** Parses the command line (without `node script`); throws UsageError with a message naming the problem. */
export function parseTopicsArgs(argv: readonly string[]): TopicsCommand {
  const [command, ...rest] = argv;
  switch (command) {
    case 'list':
      if (rest.length) throw new UsageError(`list takes no arguments (got "${rest.join(' ')}")`);
      return { kind: 'list' };
    case 'tail': {
      const topic = checkTopic(rest[0], 'tail');
      const options = parseOptions(rest.slice(1), ['filter', 'from', 'limit']);
      const fromArg = single(options, 'from') ?? 'earliest';
      const limitArg = single(options, 'limit') ?? '50';
      if (!/^\d+$/.test(limitArg) || Number(limitArg) < 1 || Number(limitArg) > 500) {
        throw new UsageError(`--limit must be a whole number from 1 to 500 (got "${limitArg}")`);
      }
      let from = fromArg;
      let timestampMs: number | undefined;
      if (/^\d+$/.test(fromArg)) {
        from = 'timestamp';
        timestampMs = Number(fromArg);
      } else if (fromArg !== 'earliest' && fromArg !== 'latest') {
        throw new UsageError(`--from must be earliest, latest or a timestamp in ms (got "${fromArg}")`);
      }
      return {
        kind: 'tail',
        topics: topic.split(','),
        filter: single(options, 'filter'),
        from,
        timestampMs,
        limit: Number(limitArg),
      };
    }
    case 'produce': {
      const topic = checkTopic(rest[0], 'produce');
      if (topic.includes(',')) throw new UsageError('produce: exactly one topic');
      const options = parseOptions(rest.slice(1), ['key', 'value', 'header']);
      const valueArg = single(options, 'value');
      if (valueArg === undefined) throw new UsageError('produce: --value JSON is required');
      let value: unknown;
      try {
        value = JSON.parse(valueArg);
      } catch (e) {
        throw new UsageError(
          `--value is not valid JSON (${(e as Error).message}); quote strings: --value '"text"'`,
        );
      }
      const headers: Record<string, string> = {};
      for (const h of options.get('header') ?? []) {
        const eq = h.indexOf('=');
        if (eq <= 0) throw new UsageError(`--header must be key=value (got "${h}")`);
        headers[h.slice(0, eq)] = h.slice(eq + 1);
      }
      const request: ProduceRequest = { key: single(options, 'key') ?? null, value };
      if (Object.keys(headers).length) request.headers = headers;
      return { kind: 'produce', topic, request };
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      throw new UsageError('a command is required');
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

/** The API request a command makes. */
export function toHttpRequest(
  cmd: TopicsCommand,
  apiUrl: string,
): { method: 'GET' | 'POST'; url: string; body?: string } {
  const base = apiUrl.replace(/\/+$/, '');
  switch (cmd.kind) {
    case 'list':
      return { method: 'GET', url: `${base}/api/topics` };
    case 'tail': {
      const q = new URLSearchParams({
        topics: cmd.topics.join(','),
        from: cmd.from,
        limit: String(cmd.limit),
      });
      if (cmd.timestampMs !== undefined) q.set('timestampMs', String(cmd.timestampMs));
      if (cmd.filter) q.set('filter', cmd.filter);
      return { method: 'GET', url: `${base}/api/topics/messages?${q.toString()}` };
    }
    case 'produce':
      return {
        method: 'POST',
        url: `${base}/api/topics/${encodeURIComponent(cmd.topic)}/messages`,
        body: JSON.stringify(cmd.request),
      };
  }
}

/** stdout lines (one JSON per record/topic/ack) and the stderr summary of a successful answer. */
export function formatResult(cmd: TopicsCommand, body: unknown): { lines: string[]; summary: string } {
  switch (cmd.kind) {
    case 'list': {
      const topics = (
        Array.isArray(body) ? body : ((body as { topics?: unknown[] })?.topics ?? [])
      ) as TopicSummary[];
      return {
        lines: topics.map((t) => JSON.stringify(t)),
        summary: `${topics.length} topic(s)`,
      };
    }
    case 'tail': {
      const r = body as TopicReadResponse;
      const messages = r.messages ?? [];
      const more = r.truncated ? ' (scan limit reached: narrow with --from or --filter)' : '';
      return {
        lines: messages.map((m) => JSON.stringify(m)),
        summary: `${messages.length} record(s) from ${cmd.topics.join(', ')}${cmd.filter ? ` matching ${cmd.filter}` : ''}, scanned ${r.scanned ?? '?'}${more}`,
      };
    }
    case 'produce': {
      const r = body as { topic?: string; partition?: number; offset?: string };
      return {
        lines: [JSON.stringify(body)],
        summary: `produced to ${r.topic ?? cmd.topic} partition ${r.partition ?? '?'} offset ${r.offset ?? '?'}`,
      };
    }
  }
}

/** The value of NAME in a .env text (KEY=VALUE lines, optional `export` and quotes), or undefined. */
export function envFileSetting(text: string | undefined, name: string): string | undefined {
  let value: string | undefined;
  for (const line of (text ?? '').split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m?.[1] === name) value = m[2].replace(/^"(.*)"$|^'(.*)'$/, '$1$2');
  }
  return value === '' ? undefined : value;
}

/** API_URL and ADMIN_TOKEN from the environment, else from the settings file's text (empty = unset). */
export function resolveSettings(
  env: Record<string, string | undefined>,
  envFileText: string | undefined,
): { apiUrl: string; adminToken?: string } {
  const get = (name: string) => env[name] || envFileSetting(envFileText, name);
  return {
    apiUrl: get('API_URL') ?? `http://127.0.0.1:${get('API_PORT') ?? 8081}`,
    adminToken: get('ADMIN_TOKEN'),
  };
}

function readSettingsFile(): string | undefined {
  const root = join(__dirname, '..');
  const name = process.env.ENV_FILE || '.env';
  const file = isAbsolute(name) ? name : join(root, name);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/** One line out of an API error body (`{message}` from the API's exception filter, else the text). */
export function describeHttpError(status: number, text: string): string {
  let detail = text.trim();
  try {
    const body = JSON.parse(text) as { message?: unknown; error?: unknown };
    const message = Array.isArray(body.message) ? body.message.join('; ') : (body.message ?? body.error);
    if (message !== undefined) detail = typeof message === 'string' ? message : JSON.stringify(message);
  } catch {
    // not JSON: keep the text
  }
  return `the API answered ${status}${detail ? `: ${detail.slice(0, 500)}` : ''}`;
}

async function main(): Promise<number> {
  let cmd: TopicsCommand;
  try {
    cmd = parseTopicsArgs(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`error: ${e.message}\n${USAGE}`);
    return 2;
  }
  const { apiUrl, adminToken } = resolveSettings(process.env, readSettingsFile());
  const req = toHttpRequest(cmd, apiUrl);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (req.body) headers['content-type'] = 'application/json';
  if (adminToken) {
    headers.authorization = `Bearer ${adminToken}`;
    headers['x-admin-token'] = adminToken;
  }
  let res: Response;
  try {
    res = await fetch(req.url, {
      method: req.method,
      headers,
      body: req.body,
      signal: AbortSignal.timeout(60_000),
    });
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
    console.error(
      `error: cannot reach the checkout API at ${apiUrl} (${cause}). Is the platform running? Start it with ./start-platform-local.sh, or set API_URL.`,
    );
    return 1;
  }
  const text = await res.text();
  if (!res.ok) {
    console.error(`error: ${describeHttpError(res.status, text)}`);
    return 1;
  }
  const { lines, summary } = formatResult(cmd, text ? JSON.parse(text) : null);
  for (const line of lines) process.stdout.write(`${line}\n`);
  console.error(summary);
  return 0;
}

// Run by scripts/run-ts.js (which sets argv[1] to this file), not when imported by the spec.
if (process.argv[1] === __filename) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      console.error(`error: ${(e as Error).message}`);
      process.exitCode = 1;
    },
  );
}

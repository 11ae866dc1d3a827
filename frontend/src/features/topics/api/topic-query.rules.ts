/**
 * The Topics page's inputs → API queries. Pure, so the filter handling is tested without a browser:
 * smart quotes pasted from docs are straightened, obvious typos (unbalanced quotes/brackets) are caught
 * before a request, and each wrong field gets its own message. The server still validates everything.
 */
import { TOPIC_READ_FROM, type ProduceRequest } from '@kartshoppe/contracts';

export type ReadFrom = (typeof TOPIC_READ_FROM)[number];

export interface BrowseForm {
  topics: string[];
  from: ReadFrom;
  offset: string;
  partition: string;
  /** A `datetime-local` value (local time), used when from = timestamp. */
  time: string;
  filter: string;
  limit: string;
}

export const DEFAULT_BROWSE_FORM: BrowseForm = {
  topics: [],
  from: 'latest',
  offset: '',
  partition: '',
  time: '',
  filter: '',
  limit: '50',
};

export type ReadQuery = Record<string, string | number | undefined>;
export type Validated<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string> };

/** “curly” and ‘single’ quotes → straight quotes: docs and chat apps turn `"PROD_0001"` into `“PROD_0001”`. */
export function normaliseFilter(filter: string): string {
  return filter
    .replace(/[\u201C\u201D\u201E\u201F\u2033]/g, '"')
    .replace(/[\u2018\u2019\u201A\u201B\u2032]/g, "'")
    .trim();
}

/** A message for an obviously broken filter (unclosed string or bracket), else null. */
export function filterProblem(filter: string): string | null {
  const stack: string[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  let quote: string | null = null;
  for (let i = 0; i < filter.length; i++) {
    const c = filter[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"') quote = c;
    else if (c === '(' || c === '[' || c === '{') stack.push(c);
    else if (c in pairs) {
      if (stack.pop() !== pairs[c]) return `unexpected "${c}" at position ${i + 1}`;
    }
  }
  if (quote) return 'a string is not closed (missing ")';
  if (stack.length) return `"${stack[stack.length - 1]}" is not closed`;
  return null;
}

export function buildReadQuery(
  form: BrowseForm,
  parseLocalTime: (s: string) => number = (s) => new Date(s).getTime(),
): Validated<ReadQuery> {
  const errors: Record<string, string> = {};
  const topics = form.topics.map((t) => t.trim()).filter(Boolean);
  if (topics.length === 0) errors.topics = 'choose at least one topic';

  const query: ReadQuery = { topics: topics.join(','), from: form.from };
  if (form.from === 'offset') {
    if (!/^\d+$/.test(form.offset.trim())) errors.offset = 'offset must be a whole number ≥ 0';
    else query.offset = form.offset.trim();
  }
  if (form.from === 'timestamp') {
    const ms = form.time ? parseLocalTime(form.time) : NaN;
    if (!Number.isFinite(ms) || ms < 0) errors.time = 'choose a date and time';
    else query.timestampMs = Math.floor(ms);
  }
  if (form.partition.trim() !== '') {
    if (!/^\d+$/.test(form.partition.trim())) errors.partition = 'partition must be a whole number ≥ 0';
    else query.partition = Number(form.partition.trim());
  }
  const filter = normaliseFilter(form.filter);
  if (filter) {
    const problem = filter.length > 500 ? 'filter is longer than 500 characters' : filterProblem(filter);
    if (problem) errors.filter = problem;
    else query.filter = filter;
  }
  const limit = Number(form.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) errors.limit = 'limit must be between 1 and 500';
  else query.limit = limit;

  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, value: query };
}

export interface ProduceForm {
  topic: string;
  key: string;
  value: string;
  headers: string;
}

/** Value must be JSON (the platform's topics carry JSON); headers are a JSON object of strings or empty. */
export function buildProduceRequest(form: ProduceForm): Validated<{ topic: string; body: ProduceRequest }> {
  const errors: Record<string, string> = {};
  if (!form.topic.trim()) errors.topic = 'choose a topic';
  let value: unknown;
  try {
    value = JSON.parse(normaliseFilter(form.value));
  } catch (e) {
    errors.value = `value is not valid JSON: ${(e as Error).message}`;
  }
  let headers: Record<string, string> | undefined;
  if (form.headers.trim()) {
    try {
      const parsed: unknown = JSON.parse(normaliseFilter(form.headers));
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
        throw new Error('expected an object');
      headers = {};
      for (const [k, v] of Object.entries(parsed)) headers[k] = typeof v === 'string' ? v : JSON.stringify(v);
    } catch (e) {
      errors.headers = `headers must be a JSON object like {"source":"workshop"}: ${(e as Error).message}`;
    }
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  const key = form.key.trim();
  return {
    ok: true,
    value: { topic: form.topic.trim(), body: { key: key || null, value, ...(headers ? { headers } : {}) } },
  };
}

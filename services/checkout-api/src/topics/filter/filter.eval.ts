import type { FilterNode } from './filter.parser';

/** jq truthiness: only false and null are false. */
const truthy = (v: unknown) => v !== false && v !== null && v !== undefined;

function get(root: unknown, segments: (string | number)[]): unknown {
  let cur: unknown = root;
  for (const s of segments) {
    if (cur === null || cur === undefined || typeof cur !== 'object') return null;
    cur = (cur as Record<string | number, unknown>)[s];
  }
  return cur === undefined ? null : cur;
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

function order(a: unknown, b: unknown): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return undefined; // mixed types never compare (true only for != )
}

const regexCache = new Map<string, RegExp>();

export function evaluate(node: FilterNode, input: unknown): unknown {
  switch (node.kind) {
    case 'path':
      return get(input, node.segments);
    case 'literal':
      return node.value;
    case 'and':
      return truthy(evaluate(node.left, input)) && truthy(evaluate(node.right, input));
    case 'or':
      return truthy(evaluate(node.left, input)) || truthy(evaluate(node.right, input));
    case 'not':
      return !truthy(evaluate(node.operand, input));
    case 'compare': {
      const a = evaluate(node.left, input);
      const b = evaluate(node.right, input);
      if (node.op === '==') return equal(a, b);
      if (node.op === '!=') return !equal(a, b);
      const c = order(a, b);
      if (c === undefined) return false;
      return node.op === '<' ? c < 0 : node.op === '<=' ? c <= 0 : node.op === '>' ? c > 0 : c >= 0;
    }
    case 'call': {
      const subject = evaluate(node.input, input);
      const arg = evaluate(node.arg, input);
      if (node.fn === 'contains') {
        if (typeof subject === 'string' && typeof arg === 'string') return subject.includes(arg);
        if (Array.isArray(subject))
          return subject.some(
            (x) => equal(x, arg) || (typeof x === 'string' && typeof arg === 'string' && x.includes(arg)),
          );
        return false;
      }
      if (typeof subject !== 'string' || typeof arg !== 'string') return false;
      let re = regexCache.get(arg);
      if (!re) regexCache.set(arg, (re = new RegExp(arg)));
      return re.test(subject);
    }
  }
}

/** Compiles a filter to a predicate over records shaped like TopicMessage. */
export function matches(node: FilterNode, record: unknown): boolean {
  return truthy(evaluate(node, record));
}

/**
 * A small jq-style filter language for the topic inspector (the workshop's kJQ filters, e.g.
 * `.value.productId == "PROD_0001"`). Implemented here rather than with a jq library because the
 * npm jq ports either need a native jq binary or a WASM runtime, and the workshop only needs:
 *   paths      .  .key  .value.productId  .headers["x-id"]  .value.tags[0]  .["a b"]
 *   literals   "string"  12.5  -3  true  false  null
 *   compare    ==  !=  <  <=  >  >=
 *   logic      and  or  not (prefix, or jq's postfix `| not`)  ( … )
 *   functions  <path> | contains("text")   <path> | test("regex")   select( … ) around the whole
 * The parser returns an AST; filter.eval.ts evaluates it. Errors name the position.
 */
export type PathSegment = string | number;
export type FilterNode =
  | { kind: 'path'; segments: PathSegment[] }
  | { kind: 'literal'; value: string | number | boolean | null }
  | { kind: 'compare'; op: '==' | '!=' | '<' | '<=' | '>' | '>='; left: FilterNode; right: FilterNode }
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; operand: FilterNode }
  | { kind: 'call'; fn: 'contains' | 'test'; input: FilterNode; arg: FilterNode };

export class FilterSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} at position ${position}`);
    this.name = 'FilterSyntaxError';
  }
}

type Token = {
  type: 'op' | 'ident' | 'string' | 'number' | 'punct';
  text: string;
  value?: unknown;
  pos: number;
};

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (['==', '!=', '<=', '>='].includes(two)) {
      tokens.push({ type: 'op', text: two, pos: i });
      i += 2;
    } else if (c === '<' || c === '>') {
      tokens.push({ type: 'op', text: c, pos: i++ });
    } else if ('.[]()|,'.includes(c)) {
      tokens.push({ type: 'punct', text: c, pos: i++ });
    } else if (c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      if (j >= src.length) throw new FilterSyntaxError('unterminated string', i);
      const raw = src.slice(i, j + 1);
      let value: string;
      try {
        value = JSON.parse(raw) as string;
      } catch {
        throw new FilterSyntaxError('invalid string escape', i);
      }
      tokens.push({ type: 'string', text: raw, value, pos: i });
      i = j + 1;
    } else if (/[-0-9]/.test(c)) {
      const m = /^-?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(src.slice(i));
      if (!m) throw new FilterSyntaxError(`unexpected '${c}'`, i);
      tokens.push({ type: 'number', text: m[0], value: Number(m[0]), pos: i });
      i += m[0].length;
    } else if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(src.slice(i))!;
      tokens.push({ type: 'ident', text: m[0], pos: i });
      i += m[0].length;
    } else {
      throw new FilterSyntaxError(`unexpected '${c}'`, i);
    }
  }
  return tokens;
}

export function parseFilter(src: string): FilterNode {
  const tokens = tokenize(src);
  let k = 0;
  const peek = () => tokens[k];
  const at = (text: string) => peek()?.text === text;
  const pos = () => peek()?.pos ?? src.length;
  const expect = (text: string) => {
    if (!at(text)) throw new FilterSyntaxError(`expected '${text}'`, pos());
    k++;
  };

  const parseOr = (): FilterNode => {
    let left = parseAnd();
    while (at('or')) {
      k++;
      left = { kind: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): FilterNode => {
    let left = parseNot();
    while (at('and')) {
      k++;
      left = { kind: 'and', left, right: parseNot() };
    }
    return left;
  };
  const parseNot = (): FilterNode => {
    if (at('not')) {
      k++;
      return { kind: 'not', operand: parseNot() };
    }
    return parsePipe();
  };
  // `x | contains("a")`, `x | test("re")`, `x | not` bind tighter than and/or here.
  const parsePipe = (): FilterNode => {
    let node = parseCompare();
    while (at('|')) {
      k++;
      const t = peek();
      if (t?.text === 'not') {
        k++;
        node = { kind: 'not', operand: node };
      } else if (t?.text === 'contains' || t?.text === 'test') {
        k++;
        expect('(');
        const arg = parseOr();
        expect(')');
        node = { kind: 'call', fn: t.text, input: node, arg };
      } else {
        throw new FilterSyntaxError('expected contains(…), test(…) or not after |', pos());
      }
    }
    return node;
  };
  const parseCompare = (): FilterNode => {
    const left = parseOperand();
    const t = peek();
    if (t?.type === 'op') {
      k++;
      return { kind: 'compare', op: t.text as '==', left, right: parseOperand() };
    }
    return left;
  };
  const parseOperand = (): FilterNode => {
    const t = peek();
    if (!t) throw new FilterSyntaxError('unexpected end of filter', src.length);
    if (t.text === '(') {
      k++;
      const inner = parseOr();
      expect(')');
      return inner;
    }
    if (t.text === '.') return parsePath();
    if (t.type === 'string' || t.type === 'number') {
      k++;
      return { kind: 'literal', value: t.value as string | number };
    }
    if (t.type === 'ident' && ['true', 'false', 'null'].includes(t.text)) {
      k++;
      return { kind: 'literal', value: t.text === 'null' ? null : t.text === 'true' };
    }
    if (t.type === 'ident' && t.text === 'select') {
      k++;
      expect('(');
      const inner = parseOr();
      expect(')');
      return inner;
    }
    throw new FilterSyntaxError(`unexpected '${t.text}'`, t.pos);
  };
  const parsePath = (): FilterNode => {
    const segments: PathSegment[] = [];
    expect('.');
    const ident = peek();
    if (ident?.type === 'ident' && tokens[k - 1].pos + 1 === ident.pos) {
      segments.push(ident.text);
      k++;
    }
    for (;;) {
      if (at('.')) {
        const next = tokens[k + 1];
        if (next?.type === 'ident' && next.pos === peek().pos + 1) {
          k += 2;
          segments.push(next.text);
          continue;
        }
        if (next?.text === '[') {
          k++;
          continue;
        }
        break;
      }
      if (at('[')) {
        k++;
        const idx = peek();
        if (idx?.type !== 'string' && idx?.type !== 'number')
          throw new FilterSyntaxError('expected a string or number index', pos());
        k++;
        segments.push(idx.value as string | number);
        expect(']');
        continue;
      }
      break;
    }
    return { kind: 'path', segments };
  };
  if (tokens.length === 0) throw new FilterSyntaxError('empty filter', 0);
  const node = parseOr();
  if (k < tokens.length) throw new FilterSyntaxError(`unexpected '${tokens[k].text}'`, tokens[k].pos);
  return node;
}

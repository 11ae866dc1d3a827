/**
 * A Postgres WAL position (pg_lsn): 64 bits, written `XXXXXXXX/XXXXXXXX` (high/low 32 bits in hex).
 * Kept as a bigint so positions compare and subtract exactly (a JS number loses bits past 2^53).
 */
export type Lsn = bigint & { readonly __lsn: unique symbol };

const LSN_TEXT = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/;
const MAX_LSN = (1n << 64n) - 1n;

export const ZERO_LSN = 0n as Lsn;

export function lsnFromBigInt(value: bigint): Lsn {
  if (value < 0n || value > MAX_LSN) throw new RangeError(`LSN out of range: ${value}`);
  return value as Lsn;
}

/** Parses Postgres's text form (`16/B374D848`, either case, 1–8 hex digits per half). */
export function parseLsn(text: string): Lsn {
  const m = LSN_TEXT.exec(text.trim());
  if (!m) throw new Error(`not an LSN: ${JSON.stringify(text)}`);
  return ((BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`)) as Lsn;
}

/** Formats as `XXXXXXXX/XXXXXXXX` (upper case, zero-padded: the form the CDC envelope carries). */
export function formatLsn(lsn: Lsn): string {
  const hi = (lsn >> 32n).toString(16).toUpperCase().padStart(8, '0');
  const lo = (lsn & 0xffffffffn).toString(16).toUpperCase().padStart(8, '0');
  return `${hi}/${lo}`;
}

export function compareLsn(a: Lsn, b: Lsn): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function maxLsn(a: Lsn, b: Lsn): Lsn {
  return a >= b ? a : b;
}

/** Decimal text of the position: a dead letter's "offset" header for a row captured at this LSN. */
export function lsnToDecimal(lsn: Lsn): string {
  return lsn.toString(10);
}

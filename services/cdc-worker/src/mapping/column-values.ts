import type { CdcRow } from '@kartshoppe/contracts';

export type ColumnValue = CdcRow[string];

/** Built-in type OIDs (pg_type.oid) whose text form we turn into JSON scalars. */
export const PG_TYPE = {
  bool: 16,
  int8: 20,
  int2: 21,
  int4: 23,
  oid: 26,
  float4: 700,
  float8: 701,
  numeric: 1700,
} as const;

/**
 * How a column's text (pgoutput sends every value in Postgres's text form) becomes a row value.
 * Exactness first: NUMERIC and BIGINT stay strings (a JS number rounds prices and ids past 2^53, and
 * node-postgres' default Date parsing would cut timestamps to milliseconds), so does every other type
 * (timestamps, JSON, text) — only booleans, small integers and finite floats become JSON scalars.
 */
export function columnValueParser(typeOid: number): (text: string) => ColumnValue {
  switch (typeOid) {
    case PG_TYPE.bool:
      return (text) => text === 't' || text === 'true';
    case PG_TYPE.int2:
    case PG_TYPE.int4:
    case PG_TYPE.oid:
      return (text) => Number(text);
    case PG_TYPE.float4:
    case PG_TYPE.float8:
      return (text) => {
        const n = Number(text);
        return Number.isFinite(n) ? n : text; // NaN/Infinity are not JSON numbers
      };
    default:
      return (text) => text; // int8, numeric, timestamptz, jsonb, varchar, …: exact text
  }
}

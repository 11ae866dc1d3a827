import { fmt, lastJsonLine, markdownTable } from './results';

describe('lastJsonLine', () => {
  it('returns the last JSON object line, skipping trailing noise and non-JSON braces', () => {
    const out = ['{"first":1}', 'table', '{"eventsPerSec":1200,"rssMb":90}', '{not json', 'done', ''].join(
      '\n',
    );
    expect(lastJsonLine(out)).toEqual({ eventsPerSec: 1200, rssMb: 90 });
  });

  it('ignores arrays and returns undefined when there is no summary', () => {
    expect(lastJsonLine('[1,2]\nno json here')).toBeUndefined();
  });
});

describe('markdownTable', () => {
  it('pads columns to the widest cell', () => {
    expect(
      markdownTable(
        ['rate', 'p99 ms'],
        [
          [100, 12.5],
          [1000, undefined],
        ],
      ),
    ).toBe(['| rate | p99 ms |', '|------|--------|', '| 100  | 12.5   |', '| 1000 |        |'].join('\n'));
  });
});

describe('fmt', () => {
  it('prints a dash for missing figures', () => {
    expect(fmt(NaN)).toBe('–');
    expect(fmt(undefined)).toBe('–');
    expect(fmt(12.345, 1)).toBe('12.3');
  });
});

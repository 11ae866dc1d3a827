import { parsePssKb, parseStat, parseVmRssKb } from './proc';

describe('/proc parsing', () => {
  it('reads VmRSS in KiB', () => {
    expect(parseVmRssKb('Name:\tnode\nVmPeak:\t 999 kB\nVmRSS:\t  123456 kB\nRssAnon:\t1 kB\n')).toBe(123456);
  });

  it('reads 0 for a process without VmRSS (zombie)', () => {
    expect(parseVmRssKb('Name:\tnode\nState:\tZ (zombie)\n')).toBe(0);
  });

  it('reads Pss, not SwapPss', () => {
    expect(parsePssKb('Rss:     2000 kB\nPss:     1500 kB\nSwapPss:   7 kB\n')).toBe(1500);
  });

  it('reads ppid and utime+stime even when the command name has spaces and parentheses', () => {
    const stat =
      '4242 (postgres: a (b) c) S 4100 4242 4242 0 -1 4194560 500 0 0 0 37 13 0 0 20 0 1 0 100 1000 50';
    expect(parseStat(stat)).toEqual({ ppid: 4100, cpuTicks: 50 });
  });
});

import { chunkByBytes, messageBytes } from './record-chunks';

describe('chunkByBytes', () => {
  const msg = (topic: string, n: number) => ({ topic, message: { key: 'k', value: 'x'.repeat(n) } });

  it('keeps every record, in order, in chunks below the limit (a single oversized record goes alone)', () => {
    const records = [msg('a', 100), msg('b', 100), msg('a', 500), msg('a', 2000), msg('b', 10)];
    const chunks = chunkByBytes(records, 700);
    expect(
      chunks.map((c) =>
        c.map((t) => `${t.topic}:${t.messages.map((m) => String(m.value).length).join('+')}`),
      ),
    ).toEqual([['a:100', 'b:100'], ['a:500'], ['a:2000'], ['b:10']]);
    expect(messageBytes({ key: 'ab', value: 'cde', headers: { h: 'v' } })).toBe(64 + 2 + 3 + 2);
  });
});

import { DEAD_LETTER_HEADERS } from '@kartshoppe/contracts';
import { DEAD_LETTER_MAX_PAYLOAD_BYTES, deadLetterMessage } from './dead-letters';

const origin = { topic: 'product-updates', partition: 2, offset: '26' };
const bytes = (v: Buffer | string | null | undefined) => (v == null ? 0 : Buffer.byteLength(v));

describe('deadLetterMessage', () => {
  it('keeps the original key and bytes and names the origin and the error', () => {
    const { message } = deadLetterMessage(origin, 'PROD_1', '{bad', 'malformed JSON', 'p', 5);
    expect(message).toMatchObject({ key: 'PROD_1', value: '{bad' });
    expect(message.headers).toMatchObject({
      [DEAD_LETTER_HEADERS.originTopic]: 'product-updates',
      [DEAD_LETTER_HEADERS.originPartition]: '2',
      [DEAD_LETTER_HEADERS.originOffset]: '26',
      [DEAD_LETTER_HEADERS.error]: 'malformed JSON',
      [DEAD_LETTER_HEADERS.component]: 'p',
      [DEAD_LETTER_HEADERS.failedAtMs]: '5',
    });
  });

  it('F-FL-4: cuts a record at the broker limit so the dead letter itself can be written, and says so', () => {
    const value = Buffer.alloc(1_048_388, 'x');
    const { message } = deadLetterMessage(origin, 'PROD_1', value, 'description: too big', 'p', 5);
    expect(bytes(message.key) + bytes(message.value)).toBeLessThanOrEqual(DEAD_LETTER_MAX_PAYLOAD_BYTES);
    expect(value.subarray(0, bytes(message.value)).equals(message.value as Buffer)).toBe(true);
    expect(message.headers![DEAD_LETTER_HEADERS.error]).toMatch(
      /^truncated .*value 1048388 -> \d+ bytes.*origin offset.*description: too big$/,
    );
  });

  it('cuts an oversized key too', () => {
    const { message } = deadLetterMessage(origin, 'k'.repeat(1_000_000), null, 'bad key', 'p', 5);
    expect(bytes(message.key)).toBeLessThanOrEqual(16 * 1024);
    expect(message.value).toBeNull();
  });
});

import { z } from 'zod';
import {
  ConfigError,
  KafkaEnvSchema,
  parseEnv,
  envPort,
  retry,
  PlatformError,
  toTopicMessages,
  headersToStrings,
} from './index';

describe('parseEnv', () => {
  const schema = z.object({ API_PORT: envPort.default(8081), NAME: z.string() });
  it('applies defaults and treats empty strings as unset', () => {
    expect(parseEnv('t', schema, { NAME: 'x', API_PORT: '' })).toEqual({ API_PORT: 8081, NAME: 'x' });
  });
  it('lists every bad key in one error', () => {
    try {
      parseEnv('checkout-api', schema, { API_PORT: '99999' });
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).problems.map((p) => p.split(':')[0]).sort()).toEqual(['API_PORT', 'NAME']);
      expect((e as Error).message).toMatch(/checkout-api: invalid configuration/);
    }
  });
  it('parses Kafka SASL settings', () => {
    expect(
      parseEnv('t', KafkaEnvSchema, { KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SSL: 'true' }),
    ).toMatchObject({
      KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:9092',
      KAFKA_SASL_MECHANISM: 'scram-sha-256',
      KAFKA_SSL: true,
    });
  });
});

describe('retry', () => {
  const noSleep = async () => undefined;
  it('retries retriable errors with capped backoff, then succeeds', async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await retry(
      async () => {
        if (++calls < 4) throw new PlatformError('down', { retriable: true });
        return 'ok';
      },
      {
        retries: 5,
        initialDelayMs: 100,
        maxDelayMs: 250,
        sleep: noSleep,
        onRetry: (_e, _a, d) => delays.push(d),
      },
    );
    expect(result).toBe('ok');
    expect(delays).toEqual([100, 200, 250]);
  });
  it('throws a non-retriable error at once', async () => {
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls++;
          throw new PlatformError('bad input', { retriable: false });
        },
        { retries: 5, initialDelayMs: 1, maxDelayMs: 1, sleep: noSleep },
      ),
    ).rejects.toThrow('bad input');
    expect(calls).toBe(1);
  });
});

describe('kafka helpers', () => {
  it('groups records by topic and serialises JSON values', () => {
    const batches = toTopicMessages([
      { topic: 'a', key: 'k1', value: { n: 1 } },
      { topic: 'b', key: null, value: 'raw' },
      { topic: 'a', key: 'k2', value: { n: 2 }, headers: { h: 'v' } },
    ]);
    expect(batches).toEqual([
      {
        topic: 'a',
        messages: [
          { key: 'k1', value: '{"n":1}', headers: undefined },
          { key: 'k2', value: '{"n":2}', headers: { h: 'v' } },
        ],
      },
      { topic: 'b', messages: [{ key: null, value: 'raw', headers: undefined }] },
    ]);
  });
  it('turns kafkajs headers into strings', () => {
    expect(headersToStrings({ a: Buffer.from('x'), b: 'y', c: [Buffer.from('z')], d: undefined })).toEqual({
      a: 'x',
      b: 'y',
      c: 'z',
    });
  });
});

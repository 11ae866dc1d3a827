import { ConfigError } from '@kartshoppe/runtime';
import { loadCdcConfig, outputTopics } from './config';

describe('cdc-worker config', () => {
  it('defaults to the design: slot kartshoppe_cdc, publication kartshoppe_cdc_pub, port 8092, contract topics', () => {
    const config = loadCdcConfig({});
    expect(config).toMatchObject({
      CDC_PORT: 8092,
      CDC_SLOT_NAME: 'kartshoppe_cdc',
      CDC_PUBLICATION_NAME: 'kartshoppe_cdc_pub',
      CDC_HEARTBEAT_MS: 10_000,
      CDC_CRASH_AFTER_COMMIT_BEFORE_ACK: false,
      POSTGRES_PORT: 5432,
      KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:9092',
    });
    expect(outputTopics(config)).toEqual({
      orderEvents: 'order-events',
      deadLetters: 'dead-letters',
      envelopePrefix: 'cdc',
    });
  });

  it('lists every bad key at once', () => {
    expect(() => loadCdcConfig({ CDC_SLOT_NAME: 'Bad-Slot', CDC_HEARTBEAT_MS: '0', CDC_PORT: 'x' })).toThrow(
      ConfigError,
    );
    try {
      loadCdcConfig({ CDC_SLOT_NAME: 'Bad-Slot', CDC_HEARTBEAT_MS: '0', CDC_PORT: 'x' });
    } catch (e) {
      const problems = (e as ConfigError).problems.join('\n');
      expect(problems).toMatch(/CDC_SLOT_NAME/);
      expect(problems).toMatch(/CDC_HEARTBEAT_MS/);
      expect(problems).toMatch(/CDC_PORT/);
    }
  });

  it.each([
    ['1', true],
    ['true', true],
    ['0', false],
  ])('CDC_CRASH_AFTER_COMMIT_BEFORE_ACK=%s → %s', (value, expected) => {
    expect(
      loadCdcConfig({ CDC_CRASH_AFTER_COMMIT_BEFORE_ACK: value }).CDC_CRASH_AFTER_COMMIT_BEFORE_ACK,
    ).toBe(expected);
  });
});

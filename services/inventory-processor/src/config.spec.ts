import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@kartshoppe/runtime';
import { ProcessorEnvSchema, loadProcessorConfig } from './config';

describe('processor config', () => {
  it('has the documented defaults', () => {
    expect(loadProcessorConfig({})).toMatchObject({
      PROCESSOR_PORT: 8091,
      PROCESSOR_APP_ID: 'inventory-processor',
      PROCESSOR_STATE_DIR: '.data/processor',
      CATALOG_FILE: 'data/initial-products.json',
      STALE_AFTER_MS: 3_600_000,
      TIMER_SWEEP_MS: 1_000,
      LOW_STOCK_THRESHOLD: 10,
      CRITICAL_STOCK_THRESHOLD: 5,
      PRICE_DROP_PERCENT: 10,
      KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:9092',
    });
  });

  it('lists every bad key at once', () => {
    expect(() => loadProcessorConfig({ PROCESSOR_PORT: 'x', STALE_AFTER_MS: '-1' })).toThrow(ConfigError);
    try {
      loadProcessorConfig({ PROCESSOR_PORT: 'x', STALE_AFTER_MS: '-1' });
    } catch (e) {
      expect((e as ConfigError).problems.join('\n')).toMatch(/PROCESSOR_PORT[\s\S]*STALE_AFTER_MS/);
    }
  });

  it('refuses a critical threshold above the low-stock threshold', () => {
    expect(() => loadProcessorConfig({ LOW_STOCK_THRESHOLD: '3', CRITICAL_STOCK_THRESHOLD: '5' })).toThrow(
      /CRITICAL_STOCK_THRESHOLD/,
    );
  });

  const envExample = join(__dirname, '../../../.env.example');
  (existsSync(envExample) ? it : it.skip)('parses the processor keys of .env.example', () => {
    const values: Record<string, string> = {};
    for (const line of readFileSync(envExample, 'utf8').split('\n')) {
      const m = /^\s*([A-Z0-9_]+)\s*=\s*(.*)\s*$/.exec(line);
      if (m && m[1]! in ProcessorEnvSchema.shape) values[m[1]!] = m[2]!.replace(/^["']|["']$/g, '');
    }
    expect(() => loadProcessorConfig(values)).not.toThrow();
  });
});

import { Kafka, logLevel, type KafkaConfig, type IHeaders, type Message } from 'kafkajs';
import type { Logger } from 'pino';
import type { KafkaEnv } from './config';
import { installReadCommittedFix } from './read-committed';

export type { Kafka };

/**
 * The one place that builds a kafkajs client. Services use Kafka through this and the small helpers
 * below, so a client swap or a security setting changes in one file.
 */
export function createKafka(env: KafkaEnv, clientId: string, logger: Logger): Kafka {
  // kafkajs's read_committed filter lets aborted records through (see read-committed.ts).
  installReadCommittedFix();
  const config: KafkaConfig = {
    clientId,
    brokers: env.KAFKA_BOOTSTRAP_SERVERS.split(',')
      .map((b) => b.trim())
      .filter(Boolean),
    ssl: env.KAFKA_SSL,
    connectionTimeout: 5_000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 5_000 },
    logLevel: logLevel.WARN,
    logCreator: () => (entry) => {
      const { message, ...extra } = entry.log;
      const level =
        entry.level <= logLevel.ERROR ? 'error' : entry.level === logLevel.WARN ? 'warn' : 'debug';
      logger[level]({ kafkajs: entry.namespace, ...extra }, message);
    },
  };
  if (env.KAFKA_SASL_MECHANISM) {
    if (!env.KAFKA_USER || !env.KAFKA_PASSWORD) {
      throw new Error('KAFKA_SASL_MECHANISM is set but KAFKA_USER or KAFKA_PASSWORD is missing');
    }
    config.sasl = {
      mechanism: env.KAFKA_SASL_MECHANISM,
      username: env.KAFKA_USER,
      password: env.KAFKA_PASSWORD,
    } as KafkaConfig['sasl'];
  }
  return new Kafka(config);
}

/** A record to produce: the value is serialised as JSON, headers as UTF-8 strings. */
export interface JsonRecord {
  topic: string;
  key: string | null;
  value: unknown;
  headers?: Record<string, string>;
}

export function toKafkaMessage(record: Omit<JsonRecord, 'topic'>): Message {
  return {
    key: record.key,
    value:
      typeof record.value === 'string' || Buffer.isBuffer(record.value)
        ? record.value
        : JSON.stringify(record.value),
    headers: record.headers,
  };
}

/** Groups records by topic for `producer.sendBatch` (kafkajs wants `{topic, messages}[]`). */
export function toTopicMessages(records: readonly JsonRecord[]): { topic: string; messages: Message[] }[] {
  const byTopic = new Map<string, Message[]>();
  for (const r of records) {
    const list = byTopic.get(r.topic) ?? [];
    list.push(toKafkaMessage(r));
    byTopic.set(r.topic, list);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

/** kafkajs headers (Buffer | string | arrays) as plain strings. */
export function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (v === undefined) continue;
    const first = Array.isArray(v) ? v[0] : v;
    out[k] = Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
  }
  return out;
}

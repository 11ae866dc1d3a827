import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON logs, one logger per component; secrets are redacted wherever they appear. */
export function createLogger(component: string, level: string = 'info'): Logger {
  return pino({
    level,
    base: { component },
    redact: {
      paths: ['*.password', '*.KAFKA_PASSWORD', '*.POSTGRES_PASSWORD', 'sasl.password'],
      censor: '***',
    },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

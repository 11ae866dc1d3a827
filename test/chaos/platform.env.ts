/**
 * Where the chaos platform lives and how each service is started: its own ports and folders (never a
 * developer's platform, the test infrastructure or the e2e suite), the environment of the scripts and
 * services, and what "ready" means for each service.
 *
 * `npm run chaos` uses the ports below and .data/chaos. The short run inside `npm test` sets
 * CHAOS_PORT_OFFSET=300 and CHAOS_DATA_DIR=.data/chaos-e2e before loading these modules, so a manual
 * run and the test suite never stop or wipe each other's platform.
 */
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..');

const offset = Number(process.env.CHAOS_PORT_OFFSET ?? 0);

export const CHAOS_PORTS = {
  kafka: 39392 + offset,
  kafkaController: 39393 + offset,
  postgres: 35732 + offset,
  api: 38281 + offset,
  processor1: 38291 + offset,
  cdc: 38292 + offset,
  processor2: 38293 + offset,
} as const;

export const CHAOS_DATA_DIR = process.env.CHAOS_DATA_DIR ?? '.data/chaos';
export const CHAOS_LOG_DIR = `${CHAOS_DATA_DIR}/logs`;
export const CHAOS_PID_DIR = `${CHAOS_DATA_DIR}/pids`;

export const SERVICES = ['processor-1', 'processor-2', 'cdc-worker', 'checkout-api'] as const;
export type ServiceName = (typeof SERVICES)[number];
export type Component = ServiceName | 'kafka' | 'postgres';

export const KAFKA_BROKERS = [`127.0.0.1:${CHAOS_PORTS.kafka}`];
export const PG_CONFIG = {
  host: '127.0.0.1',
  port: CHAOS_PORTS.postgres,
  user: 'postgres',
  password: 'postgres',
  database: 'ecommerce',
};
export const API_URL = `http://127.0.0.1:${CHAOS_PORTS.api}`;
export const PROCESSOR_URLS = [CHAOS_PORTS.processor1, CHAOS_PORTS.processor2].map(
  (p) => `http://127.0.0.1:${p}`,
);

/** What scripts/infra.sh, manage-topics, manage-db and the services get. */
export function chaosEnv(): Record<string, string> {
  return {
    ...(process.env as Record<string, string>),
    KAFKA_PORT: String(CHAOS_PORTS.kafka),
    KAFKA_CONTROLLER_PORT: String(CHAOS_PORTS.kafkaController),
    POSTGRES_PORT: String(CHAOS_PORTS.postgres),
    POSTGRES_DB: PG_CONFIG.database,
    POSTGRES_USER: PG_CONFIG.user,
    POSTGRES_PASSWORD: PG_CONFIG.password,
    POSTGRES_HOST: PG_CONFIG.host,
    DATA_DIR: CHAOS_DATA_DIR,
    LOG_DIR: CHAOS_LOG_DIR,
    PID_DIR: CHAOS_PID_DIR,
    KAFKA_BOOTSTRAP_SERVERS: KAFKA_BROKERS.join(','),
    LOG_LEVEL: process.env.CHAOS_LOG_LEVEL ?? 'info',
  };
}

export interface ServiceSpec {
  entry: string;
  port: number;
  env: Record<string, string>;
  ready: (health: Record<string, any>) => boolean;
}

export function serviceSpec(name: ServiceName): ServiceSpec {
  const processor = (n: 1 | 2, port: number): ServiceSpec => ({
    entry: 'services/inventory-processor/dist/main.js',
    port,
    env: {
      PROCESSOR_PORT: String(port),
      PROCESSOR_INSTANCE_ID: `chaos-${n}`,
      PROCESSOR_STATE_DIR: `${CHAOS_DATA_DIR}/processor-${n}`,
      // A killed instance's partitions move after this long (the broker's minimum is 6 s).
      PROCESSOR_SESSION_TIMEOUT_MS: '10000',
    },
    ready: (h) => h.status === 'up' && h.phase === 'running',
  });
  switch (name) {
    case 'processor-1':
      return processor(1, CHAOS_PORTS.processor1);
    case 'processor-2':
      return processor(2, CHAOS_PORTS.processor2);
    case 'cdc-worker':
      return {
        entry: 'services/cdc-worker/dist/main.js',
        port: CHAOS_PORTS.cdc,
        env: { CDC_PORT: String(CHAOS_PORTS.cdc) },
        ready: (h) => h.status === 'up' && h.connected === true,
      };
    case 'checkout-api':
      return {
        entry: 'services/checkout-api/dist/main.js',
        port: CHAOS_PORTS.api,
        env: {
          API_PORT: String(CHAOS_PORTS.api),
          API_HOST: '127.0.0.1',
          API_MODE: 'local',
          STOREFRONT_DIR: `${CHAOS_DATA_DIR}/no-storefront`,
          PROCESSOR_URL: PROCESSOR_URLS[0]!,
          CDC_URL: `http://127.0.0.1:${CHAOS_PORTS.cdc}`,
        },
        ready: (h) => (h.status === 'up' || h.status === 'degraded') && h.readModel?.warm === true,
      };
  }
}

export { serviceHealth as health } from '../support/infra';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

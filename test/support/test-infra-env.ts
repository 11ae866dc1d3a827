/**
 * The environment scripts/infra.sh gets when the test harness starts the test infrastructure: its own
 * ports and folders, so tests never touch a developer's running platform (DESIGN §10).
 */
import { join } from 'node:path';
import { TEST_KAFKA_CONTROLLER_PORT, TEST_KAFKA_PORT, TEST_PG_PORT } from './infra';

export const REPO_ROOT = join(__dirname, '..', '..');

export function testInfraEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    KAFKA_PORT: String(TEST_KAFKA_PORT),
    KAFKA_CONTROLLER_PORT: String(TEST_KAFKA_CONTROLLER_PORT),
    POSTGRES_PORT: String(TEST_PG_PORT),
    POSTGRES_DB: 'ecommerce',
    POSTGRES_PASSWORD: 'postgres',
    // Overridable together with TEST_KAFKA_PORT & co. to run a second, separate test infrastructure.
    DATA_DIR: process.env.TEST_INFRA_DATA_DIR ?? '.data/test-infra',
    LOG_DIR: process.env.TEST_INFRA_LOG_DIR ?? 'logs/test-infra',
    PID_DIR: process.env.TEST_INFRA_PID_DIR ?? '.pids/test-infra',
  };
}

/** Set by global-setup when this jest run started the infrastructure (teardown then stops it). */
export const STARTED_FLAG = 'KARTSHOPPE_TEST_INFRA_STARTED_BY_THIS_RUN';

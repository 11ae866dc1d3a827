// One jest run, three tiers (STYLE §12). Services are CommonJS throughout (NestJS 11), so ts-jest
// transpiles TypeScript to CommonJS; type errors are caught by `npm run typecheck`, not here.
const tsTransform = {
  '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }],
};
const moduleNameMapper = {
  '^@kartshoppe/([a-z-]+)$': '<rootDir>/services/$1/src',
};
// Data folders hold Postgres files such as pg_logical/snapshots/*.snap that jest would take for its own.
const ignored = ['/node_modules/', '<rootDir>/.data/', '<rootDir>/logs/', '/dist/'];
const common = {
  transform: tsTransform,
  moduleNameMapper,
  testEnvironment: 'node',
  testPathIgnorePatterns: ignored,
  modulePathIgnorePatterns: ['<rootDir>/.data/', '<rootDir>/logs/'],
  watchPathIgnorePatterns: ignored,
};

module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/services/*/src/**/*.spec.ts',
        '<rootDir>/scripts/**/*.spec.ts',
        '<rootDir>/bench/**/*.spec.ts',
        '<rootDir>/test/chaos/**/*.spec.ts',
      ],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/services/*/test/**/*.it.ts', '<rootDir>/test/integration/**/*.it.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      slowTestThreshold: 30,
    },
    {
      // The storefront's component and unit tests (jsdom; no network, no real socket).
      ...common,
      displayName: 'frontend',
      testEnvironment: 'jsdom',
      testMatch: ['<rootDir>/frontend/src/**/*.spec.{ts,tsx}'],
      moduleNameMapper: {
        ...moduleNameMapper,
        '\\.(css|svg|png)$': '<rootDir>/frontend/src/test-support/file-stub.js',
      },
      setupFiles: ['<rootDir>/frontend/src/test-support/jsdom-setup.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e.ts'],
    },
  ],
};

/** One Jest run for the whole workspace; @swc/jest strips types (tsc checks them separately). */
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/services', '<rootDir>/gateway', '<rootDir>/scripts'],
  testMatch: ['**/test/**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Generous: the suite must pass on a loaded 2-core machine; tests assert behaviour, not speed.
  testTimeout: 240000,
  // Three on CI's 2 cores: the e2e files spend much of their time waiting for events and workers
  // (1,412 tests: 551 s with two workers, 479 s with three, same idle machine).
  maxWorkers: process.env.CI ? 3 : '50%',
  globalSetup: '<rootDir>/packages/testing/src/global-setup.ts',
  globalTeardown: '<rootDir>/packages/testing/src/global-teardown.ts',
};

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
  maxWorkers: process.env.CI ? 2 : '50%',
  // Longest files first, from recorded durations (a fresh CI clone has no timing cache of Jest's).
  testSequencer: '<rootDir>/jest.sequencer.js',
  globalSetup: '<rootDir>/packages/testing/src/global-setup.ts',
  globalTeardown: '<rootDir>/packages/testing/src/global-teardown.ts',
};

/**
 * The Jest configuration StrykerJS runs for mutation testing (stryker.config.json): only the
 * pure rules' unit tests, which need no database, so each mutant is judged in milliseconds:
 * every service's `test/domain/`, the anonymity package's tests (pure functions, no I/O) and the
 * allocation package's validator tests (`check*.test.ts`: checkAllocation on hand-built inputs;
 * one of them also solves a four-student instance in about a second, in memory).
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  testMatch: [
    '**/test/domain/**/*.test.ts',
    '<rootDir>/packages/anonymity/test/**/*.test.ts',
    '<rootDir>/packages/allocation/test/check*.test.ts',
  ],
  globalSetup: undefined,
  globalTeardown: undefined,
  maxWorkers: 1,
};

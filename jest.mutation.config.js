/**
 * The Jest configuration StrykerJS runs for mutation testing (stryker.config.json): only the
 * pure rules' unit tests, which need no database, so each mutant is judged in milliseconds:
 * every service's `test/domain/` and the anonymity package's tests (pure functions, no I/O).
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  testMatch: ['**/test/domain/**/*.test.ts', '<rootDir>/packages/anonymity/test/**/*.test.ts'],
  globalSetup: undefined,
  globalTeardown: undefined,
  maxWorkers: 1,
};

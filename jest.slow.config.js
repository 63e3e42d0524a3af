/**
 * `npm run test:slow`: the test files that run whole external programs on a
 * whole project, which `npm test` leaves out (see jest.config.js). CI runs
 * them after `npm test`.
 */
const { SLOW_TESTS, ...base } = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testPathIgnorePatterns: ['/node_modules/'],
  testMatch: SLOW_TESTS.map((file) => `<rootDir>/${file}`),
};

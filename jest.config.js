/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testTimeout: 60000,
  moduleNameMapper: {
    '^cdktf-dms-guard$': '<rootDir>/src/index.ts',
    '^cdktf-dms-guard/(.*)$': '<rootDir>/src/$1',
  },
};

/**
 * Tests run against the TypeScript sources, compiled by SWC without type
 * checking (types are checked by `npm run lint`, which runs `tsc --noEmit`).
 *
 * `npm test` runs every test file except the few slowest, which run whole
 * programs on whole inputs (Terraform, the cdktf CLI, the TypeScript compiler
 * on user projects, the scanner on the hostile-input corpus); `npm run
 * test:slow` runs those (jest.slow.config.js), and CI runs both.
 */

/** The test files that `npm run test:slow` runs instead of `npm test`. */
const SLOW_TESTS = [
  // terraform init, validate and plan of the example app's output, with the hashicorp/aws provider
  'test/examples-terraform.test.ts',
  // the real cdktf CLI: cdktf synth of the example app in a child process
  'test/cdktf-cli.test.ts',
  // the TypeScript compiler on a user project per module resolution, against aws-cdk-lib's, cdktf's and the provider's declarations
  'test/type-resolution.test.ts',
  // the README's jest setup, run by jest and ts-jest in a project of its own
  'test/readme-jest-setup.test.ts',
  // the scanner's hostile-input corpus: 50 MB strings, 100,000 levels of nesting, each read whole and streamed, and
  // the real bin in child processes
  'test/scan/hostile-corpus.test.ts',
  // terraform init and plan of generated folders, compared with the guard's reader and the scanner (differential)
  'test/conformance/terraform-conformance.test.ts',
  // the guard's synth routes in real processes: hand-written drivers, process.exit, exit writers, framework drift,
  // the cdktf CLI over a stale output folder
  'test/synth-routes.test.ts',
  // terraform init and plan of the two replacement shapes (destroy first, create before destroy)
  'test/scan/replacement-plans.test.ts',
];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', ...SLOW_TESTS.map((file) => `<rootDir>/${file}`)],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript' },
          target: 'es2022',
          transform: { useDefineForClassFields: true },
        },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  testTimeout: 60000,
  moduleNameMapper: {
    '^cdktf-dms-guard$': '<rootDir>/src/index.ts',
    '^cdktf-dms-guard/(.*)$': '<rootDir>/src/$1',
  },
};
// for jest.slow.config.js; not enumerable, so that jest does not take it for an option
Object.defineProperty(module.exports, 'SLOW_TESTS', { value: SLOW_TESTS });

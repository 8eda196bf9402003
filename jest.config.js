// Tests live in test/, mirroring server/ and miniprogram/. Type checking is `npm run typecheck`'s job,
// so ts-jest only transpiles here.
const latencyBound = require('./test/latency-bound');

/** scripts/run-tests.js sets it: 'shared' runs all but the latency-bound suites on 2 workers, 'quiet' only those, in band */
const phase = process.env.WXLIVE_TEST_PHASE;
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const latencyPaths = latencyBound.map((rel) => `/test/${escape(rel)}$`);

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true }, diagnostics: false }] },
  // tests that spawn dist/server/main.js must not run stale code: rebuild first when a source is newer
  globalSetup: '<rootDir>/scripts/ensure-build.js',
  testTimeout: 30000,
  maxWorkers: phase === 'quiet' ? 1 : 2,
  ...(phase === 'shared' && { testPathIgnorePatterns: ['/node_modules/', ...latencyPaths] }),
  ...(phase === 'quiet' && { testMatch: latencyBound.map((rel) => `<rootDir>/test/${rel}`) }),
  verbose: false,
};

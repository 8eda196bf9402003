// Tests live in test/, mirroring server/ and miniprogram/. Type checking is `npm run typecheck`'s job,
// so ts-jest only transpiles here.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true }, diagnostics: false }] },
  // tests that spawn dist/server/main.js must not run stale code: rebuild first when a source is newer
  globalSetup: '<rootDir>/scripts/ensure-build.js',
  testTimeout: 30000,
  maxWorkers: 2,
  verbose: false,
};

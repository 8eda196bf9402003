// Mutation testing (`npm run mutation`): how many deliberate bugs in the rules that matter most the unit
// tests catch. Not part of `npm test` (too slow). Incremental: a re-run only tests mutants whose code or
// covering tests changed since reports/stryker-incremental.json.
// One folder at a time: npm run mutation -- --mutate "server/signing/**/*.ts"
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: [
    'server/signing/**/*.ts',
    'server/rooms/**/*.ts',
    'server/media/hls/**/*.ts',
    'miniprogram/lib/**/*.ts',
    '!**/index.ts',
    '!**/types.ts',
    '!server/rooms/ports.ts',
    // glue between the store, the files and the limits, tested over HTTP by test/api/cover*.test.ts (a server per run)
    '!server/rooms/cover-service.ts',
    // text tables, not rules: their completeness is checked by test/miniprogram/lib/messages.test.ts
    '!miniprogram/lib/messages/**',
  ],
  // Build output, test artifacts and other runs' sandboxes are not needed to run the unit tests.
  ignorePatterns: ['dist', 'data', 'coverage', 'test/artifacts', '.stryker-tmp*'],
  testRunner: 'jest',
  jest: { configFile: 'jest.mutation.config.js', enableFindRelatedTests: false },
  coverageAnalysis: 'perTest',
  ignoreStatic: true,
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  concurrency: 2,
  timeoutMS: 5000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 85, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};

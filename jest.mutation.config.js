// Jest config for mutation testing (`npm run mutation`): only the fast unit tests of the folders Stryker
// mutates. Stryker's sandbox has no dist/ and no browser, so suites that spawn the built server or
// Chromium stay out; the regular `npm test` runs them.
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  // the sandbox has no dist/ and these suites spawn nothing: no build
  globalSetup: undefined,
  testMatch: [
    '<rootDir>/test/signing/**/*.test.ts',
    '<rootDir>/test/rooms/**/*.test.ts',
    '<rootDir>/test/media/hls/**/*.test.ts',
    '<rootDir>/test/miniprogram/lib/**/*.test.ts',
    // the cover cleaners byte by byte (pure; the cover service's HTTP-level tests start servers: too slow per mutant)
    '<rootDir>/test/api/cover-clean.test.ts',
  ],
  // Chromium playback, wall-clock throughput and the source scan say nothing about a mutant; the suites
  // that run ffmpeg/ffprobe over every segment cost seconds per mutant (hours per folder on 2 cores), so
  // the byte-level unit tests have to kill what they would.
  testPathIgnorePatterns: [
    '/node_modules/', 'hlsjs-', 'throughput\\.test', 'purity\\.test', 'ffprobe-segments\\.test', 'discontinuity\\.test',
  ],
};

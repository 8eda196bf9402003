// `npm test`'s jest step in two phases: every suite but the latency-bound ones on two workers, then those
// (test/latency-bound.js) one at a time on an otherwise idle machine. Both phases always run, so one
// failure does not hide another; the exit code is the first non-zero one. Arguments (a path, -t …) mean a
// developer's partial run: jest runs once with them, unphased.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const JEST = require.resolve('jest/bin/jest');
const latencyBound = require('../test/latency-bound');

const jest = (args, phase) =>
  spawnSync(process.execPath, [JEST, ...args], {
    cwd: ROOT,
    stdio: 'inherit',
    env: phase ? { ...process.env, WXLIVE_TEST_PHASE: phase } : process.env,
  }).status ?? 1;

const args = process.argv.slice(2);
if (args.length > 0) process.exit(jest(args));

const missing = latencyBound.filter((rel) => !fs.existsSync(path.join(ROOT, 'test', rel)));
if (missing.length > 0) {
  console.error(`test/latency-bound.js names suites that do not exist: ${missing.join(', ')}`);
  process.exit(1);
}
const shared = jest([], 'shared');
console.log(`\nlatency-bound suites, one at a time: ${latencyBound.join(', ')}\n`);
const quiet = jest([], 'quiet');
process.exit(shared || quiet);

// Jest global setup: runs `npm run build` when a build input is newer than the last build, so the tests
// that spawn dist/server/main.js never run stale code under a bare `npx jest`. `npm test` builds first,
// so there this only compares mtimes (a few milliseconds). If the build fails, the tests that need no dist/
// still run, and spawnServer (test/process/spawn-server.ts) refuses with the reason instead of running stale code.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
/** what `npm run build` reads (tsconfig.build.json: server, typings; build-web.js: web) */
const INPUTS = ['server', 'typings', 'web', 'scripts/build-web.js', 'tsconfig.json', 'tsconfig.build.json'];
/** written by the build's last step on every run (build-web.js recreates dist/web) */
const STAMP = 'dist/web/manifest.json';
const OUTPUTS = ['dist/server/main.js', 'dist/docs/manifest.json', STAMP];
/** concurrent `npx jest` runs in one checkout build once; a lock older than this was left by a killed run */
const LOCK = 'dist/.build-lock';
const LOCK_STALE_MS = 5 * 60_000;
/** set for the test workers when dist/ could not be brought up to date */
const STALE_ENV = 'WXLIVE_STALE_DIST';

const mtimeOf = (rel) => {
  try {
    return fs.statSync(path.join(ROOT, rel)).mtimeMs;
  } catch {
    return -1;
  }
};

/** The newest file under the inputs: [mtime, path relative to the root]. */
function newestInput() {
  let best = [-1, ''];
  const visit = (rel) => {
    const stat = fs.statSync(path.join(ROOT, rel));
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(path.join(ROOT, rel))) visit(path.join(rel, name));
    } else if (stat.mtimeMs > best[0]) {
      best = [stat.mtimeMs, rel];
    }
  };
  for (const rel of INPUTS) if (fs.existsSync(path.join(ROOT, rel))) visit(rel);
  return best;
}

/** Why dist/ is stale, or null when it is current. */
function staleness() {
  const missing = OUTPUTS.find((rel) => mtimeOf(rel) < 0);
  if (missing) return `${missing} is missing`;
  const [newest, file] = newestInput();
  return newest > mtimeOf(STAMP) ? `${file} is newer than dist/` : null;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function takeLock() {
  fs.mkdirSync(path.join(ROOT, 'dist'), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(path.join(ROOT, LOCK));
      return;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      if (Date.now() - mtimeOf(LOCK) > LOCK_STALE_MS) fs.rmSync(path.join(ROOT, LOCK), { recursive: true, force: true });
      else await sleep(250);
    }
  }
}

module.exports = async function ensureBuild() {
  delete process.env[STALE_ENV];
  if (staleness() === null) return;
  await takeLock();
  try {
    const why = staleness(); // another run may have built while we waited for the lock
    if (why === null) return;
    process.stderr.write(`ensure-build: ${why}; running npm run build\n`);
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const result = spawnSync(npm, ['run', '--silent', 'build'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    if (result.status !== 0) {
      process.stderr.write('ensure-build: npm run build failed; tests that spawn dist/ will refuse to run\n');
      // test workers are started after global setup and inherit its environment
      process.env[STALE_ENV] = `dist/ is stale (${why}) and npm run build failed`;
    }
  } finally {
    fs.rmSync(path.join(ROOT, LOCK), { recursive: true, force: true });
  }
};

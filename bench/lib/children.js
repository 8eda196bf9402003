// @ts-check
// Every child process and temp dir the bench starts, so a normal end, an error or Ctrl-C removes them all.
'use strict';

const { spawn } = require('node:child_process');
const { rmSync } = require('node:fs');

/** @typedef {import('node:child_process').ChildProcess} ChildProcess */

/** @type {Set<ChildProcess>} */
const procs = new Set();
/** @type {Set<string>} */
const dirs = new Set();
const STDERR_KEEP = 4096;

/**
 * Spawn a tracked child. Its last few KB of stderr are kept (and its stdout too when `keepStdout`) so a
 * failure can say why without flooding the terminal.
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, name?: string, keepStdout?: boolean, ipc?: boolean }} [opts]
 * @returns {ChildProcess & { tail: () => string, label: string }}
 */
function start(cmd, args, opts = {}) {
  const stdio = /** @type {import('node:child_process').StdioOptions} */ (
    opts.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe']);
  const child = spawn(cmd, args, { env: opts.env ?? process.env, stdio });
  let tail = '';
  const keep = (/** @type {Buffer} */ b) => { tail = (tail + b.toString()).slice(-STDERR_KEEP); };
  child.stderr?.on('data', keep);
  if (opts.keepStdout) child.stdout?.on('data', keep);
  else child.stdout?.resume();
  procs.add(child);
  child.once('exit', () => procs.delete(child));
  child.once('error', () => procs.delete(child));
  return Object.assign(child, { tail: () => tail, label: opts.name ?? cmd });
}

/**
 * SIGTERM, then SIGKILL if the child is still there after `graceMs`.
 * @param {ChildProcess} child
 * @param {number} [graceMs]
 * @returns {Promise<void>}
 */
function stop(child, graceMs = 3000) {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => { try { child.kill('SIGKILL'); } catch { /* gone */ } }, graceMs);
    child.once('exit', () => { clearTimeout(timer); resolve(); });
    try { child.kill('SIGTERM'); } catch { clearTimeout(timer); resolve(); }
  });
}

/** @param {string} dir */
function trackDir(dir) { dirs.add(dir); return dir; }

/** @param {string} dir */
function removeDir(dir) {
  dirs.delete(dir);
  try { rmSync(dir, { recursive: true, force: true }); } catch { /* best effort */ }
}

/** Stop every tracked child and remove every tracked dir. */
async function cleanupAll() {
  await Promise.all([...procs].map((c) => stop(c, 2000)));
  for (const d of [...dirs]) removeDir(d);
}

/** Synchronous last resort for process 'exit': no waiting is possible there. */
function killAllNow() {
  for (const c of procs) { try { c.kill('SIGKILL'); } catch { /* gone */ } }
  for (const d of [...dirs]) removeDir(d);
}

let installed = false;
/** Ctrl-C / SIGTERM / a crash: clean up, then exit non-zero. */
function installHandlers() {
  if (installed) return;
  installed = true;
  let busy = false;
  const bail = (/** @type {string} */ why, /** @type {number} */ code) => {
    if (busy) return;
    busy = true;
    process.stderr.write(`\nbench: ${why}; stopping children and removing temp dirs…\n`);
    cleanupAll().finally(() => process.exit(code));
  };
  process.on('SIGINT', () => bail('interrupted', 130));
  process.on('SIGTERM', () => bail('terminated', 143));
  process.on('uncaughtException', (err) => { process.stderr.write(`${err.stack ?? err}\n`); bail('crashed', 1); });
  process.on('unhandledRejection', (err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    bail('crashed', 1);
  });
  process.on('exit', killAllNow);
}

module.exports = { start, stop, trackDir, removeDir, cleanupAll, installHandlers };

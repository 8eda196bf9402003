// @ts-check
// Workload (e): one publisher, N HLS players (bench/hls-clients.js, its own process) on the server's live HLS
// URL — wxlive's signed play URL from the API, nginx's `http {}` serving nginx-rtmp's hls_path. Over the window:
// server CPU per GB the clients read, segment and playlist latency (request → last byte), errors.
'use strict';

const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { performance } = require('node:perf_hooks');
const children = require('./children');
const { ipc } = require('./ipc');
const { cpuWindow } = require('./proc-stats');
const { startPublishers, stopPublishers, waitStreamsFlowing } = require('./publishers');

const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

/**
 * @typedef {{ cpuS: number, sysS: number, helperS: number, windowS: number, clients: number, bytes: number,
 *   cpuSPerGB: number, segMs: number[], listMs: number[], status: Record<string, number>, resets: Record<string, number>,
 *   newConnections: number, missed: number, late: number, clientLagP99Ms: number, cpuRounds?: number[] }} HlsResult
 */

/** Open files this process may have (children inherit it): each client holds a socket, and so does the server per client. */
function fdLimit() {
  try {
    const m = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'latin1'));
    return !m || m[1] === 'unlimited' ? Infinity : Number(m[1]);
  } catch { return Infinity; }
}

/**
 * @param {import('./target').Target} target
 * @param {import('./input').InputInfo} input
 * @param {number} n
 * @param {import('./workloads').Timing} t
 * @returns {Promise<HlsResult>}
 */
async function runHlsClients(target, input, n, t) {
  const limit = fdLimit();
  if (limit < n + 256) throw new Error(`${n} HLS clients need about ${n + 256} open files; ulimit -n is ${limit}: raise it (ulimit -n ${2 * n + 1024})`);
  const stream = await target.addStream(0);
  const url = stream.play.hls;
  if (!url) throw new Error(`${target.name} offers no HLS play URL`);
  const pubs = startPublishers(input.path, [stream.publishUrl]);
  /** @type {ReturnType<typeof children.start> | null} */
  let proc = null;
  try {
    await waitStreamsFlowing(target, pubs, 30_000);
    t.log(`${target.name}: ${n} HLS clients starting`);
    const cfg = { url, count: n, rampMs: 1000, pollMs: 1000, timeoutMs: 10_000, readyTimeoutMs: 20_000 };
    proc = children.start(process.execPath, [join(__dirname, '..', 'hls-clients.js'), JSON.stringify(cfg)],
      { name: 'hls clients', ipc: true });
    const ask = ipc(proc);
    const ready = await ask.next('ready', 40_000);
    if (ready.playing < n) {
      throw new Error(`${ready.playing} of ${n} HLS clients got a segment (first failures: ${ready.failures.join('; ')})`);
    }
    await sleep(t.warmupMs);
    const cpu = cpuWindow(target.pid);
    await ask.mark(); // the window starts: the clients forget what they did so far
    await sleep(t.windowMs);
    const { cpuS, sysS, helperS, windowS } = cpu.read();
    const m = await ask.mark();
    if (!target.alive()) throw new Error(`${target.name} died: ${target.diagnostics()}`);
    return {
      cpuS, sysS, helperS, windowS, clients: n, bytes: m.bytes, cpuSPerGB: cpuS / (m.bytes / 1e9),
      segMs: m.segMs, listMs: m.listMs, status: m.status, resets: m.resets,
      newConnections: m.newConnections, missed: m.missed, late: m.late, clientLagP99Ms: m.lagP99Ms,
    };
  } finally {
    if (proc) {
      if (proc.connected) proc.send({ cmd: 'stop' });
      await children.stop(proc, 3000);
    }
    await stopPublishers(pubs);
  }
}

module.exports = { runHlsClients };

// @ts-check
// The two workloads, identical for every server: (a) N HLS publishers — CPU, RSS and segment → playlist
// latency; (b) one stream to V viewers — CPU per GB delivered, full-rate check and first-media latency.
// Figures cover only a fixed window after warm-up, and only the server's own process tree.
'use strict';

const { join } = require('node:path');
const { performance } = require('node:perf_hooks');
const children = require('./children');
const { HlsLatencyWatcher } = require('./hls-watch');
const { TreeSampler } = require('./proc-stats');
const { startPublishers, stopPublishers, waitStreamsFlowing } = require('./publishers');

const FULL_RATE = 0.95;
const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

/**
 * @typedef {{ warmupMs: number, windowMs: number, log: (s: string) => void }} Timing
 * @typedef {{ cpuS: number, sysS: number, helperS: number, windowS: number, rssPeak: number, rssIdle: number, latenciesMs: number[], unmatched: number,
 *   cpuRounds?: number[] }} PublishResult
 * @typedef {{ cpuS: number, sysS: number, helperS: number, windowS: number, wireBytes: number, cpuSPerGB: number, viewers: number, full: number,
 *   minFraction: number, minMediaTimeFraction: number, firstMediaMs: number[], dropped: string[], cpuRounds?: number[] }} ViewResult
 */

/**
 * @param {import('./target').Target} target
 * @param {import('./input').InputInfo} input
 * @param {number} n
 * @param {Timing} t
 * @returns {Promise<PublishResult>}
 */
async function runPublishers(target, input, n, t) {
  const watcher = new HlsLatencyWatcher(target.hlsRoot, target.isPlaylist, target.isSegment);
  watcher.start();
  const rssIdle = new TreeSampler(target.pid).rssBytes(); // the server's own floor, before any stream
  const urls = [];
  for (let i = 0; i < n; i++) urls.push((await target.addStream(i)).publishUrl);
  const pubs = startPublishers(input.path, urls);
  try {
    t.log(`${target.name}: ${n} publishers starting`);
    await waitStreamsFlowing(target, pubs, 30_000);
    await sleep(t.warmupMs);
    const sampler = new TreeSampler(target.pid);
    watcher.reset();
    const cpu0 = sampler.cpuSeconds();
    const sys0 = sampler.sysSeconds();
    const helper0 = sampler.helperSeconds();
    const t0 = performance.now();
    sampler.startRss();
    await sleep(t.windowMs);
    const cpu1 = sampler.cpuSeconds();
    const sysS = sampler.sysSeconds() - sys0;
    const helperS = sampler.helperSeconds() - helper0;
    const windowS = (performance.now() - t0) / 1000;
    const rssPeak = sampler.stopRss();
    const gone = pubs.find((p) => p.exitCode !== null);
    if (gone) throw new Error(`${gone.label} stopped during the window: ${gone.tail().trim()}`);
    if (!target.alive()) throw new Error(`${target.name} died: ${target.diagnostics()}`);
    return { cpuS: cpu1 - cpu0, sysS, helperS, windowS, rssPeak, rssIdle, latenciesMs: watcher.latencies.slice(), unmatched: watcher.unmatched };
  } finally {
    watcher.stop();
    await stopPublishers(pubs);
  }
}

/**
 * @param {import('./target').Target} target
 * @param {import('./input').InputInfo} input
 * @param {{ count: number, kind: 'flv' | 'rtmp' }} v
 * @param {Timing} t
 * @returns {Promise<ViewResult>}
 */
async function runViewers(target, input, v, t) {
  const stream = await target.addStream(0);
  const url = v.kind === 'flv' ? stream.play.flv : stream.play.rtmp;
  if (!url) throw new Error(`${target.name} offers no ${v.kind} play URL`);
  const pubs = startPublishers(input.path, [stream.publishUrl]);
  /** @type {ReturnType<typeof children.start> | null} */
  let viewers = null;
  try {
    await waitStreamsFlowing(target, pubs, 30_000);
    t.log(`${target.name}: ${v.count} ${v.kind} viewers connecting`);
    const cfg = { kind: v.kind, url, count: v.count, rampMs: 1000, readyTimeoutMs: 20_000 };
    const proc = children.start(process.execPath, [join(__dirname, '..', 'viewers.js'), JSON.stringify(cfg)],
      { name: 'viewers', ipc: true });
    viewers = proc;
    const ask = ipc(proc);
    const ready = await ask.next('ready', 40_000);
    if (ready.playing < v.count) {
      throw new Error(`${ready.playing} of ${v.count} viewers got media (first failures: ${ready.failures.join('; ')})`);
    }
    await sleep(t.warmupMs);
    const sampler = new TreeSampler(target.pid);
    const cpu0 = sampler.cpuSeconds();
    const sys0 = sampler.sysSeconds();
    const helper0 = sampler.helperSeconds();
    const t0 = performance.now();
    const m0 = await ask.mark();
    await sleep(t.windowMs);
    const cpu1 = sampler.cpuSeconds();
    const sysS = sampler.sysSeconds() - sys0;
    const helperS = sampler.helperSeconds() - helper0;
    const windowS = (performance.now() - t0) / 1000;
    const m1 = await ask.mark();
    const expected = input.mediaBytesPerS * windowS;
    let wireBytes = 0;
    let full = 0;
    let minFraction = Infinity;
    let minMediaTimeFraction = Infinity;
    for (let i = 0; i < v.count; i++) {
      wireBytes += m1.wire[i] - m0.wire[i];
      const fraction = (m1.media[i] - m0.media[i]) / expected;
      minFraction = Math.min(minFraction, fraction);
      minMediaTimeFraction = Math.min(minMediaTimeFraction, (m1.lastTs[i] - m0.lastTs[i]) / 1000 / windowS);
      if (fraction >= FULL_RATE && !m1.closed[i]) full++;
    }
    const cpuS = cpu1 - cpu0;
    return {
      cpuS, sysS, helperS, windowS, wireBytes, cpuSPerGB: cpuS / (wireBytes / 1e9), viewers: v.count, full,
      minFraction, minMediaTimeFraction,
      firstMediaMs: ready.firstMediaMs.filter((/** @type {number} */ x) => x >= 0),
      dropped: m1.closed.filter(Boolean).slice(0, 3),
    };
  } finally {
    if (viewers) {
      if (viewers.connected) viewers.send({ cmd: 'stop' });
      await children.stop(viewers, 3000);
    }
    await stopPublishers(pubs);
  }
}

/** Request/answer over the viewers process's IPC channel. @param {import('node:child_process').ChildProcess} proc */
function ipc(proc) {
  /** @type {any[]} */
  const inbox = [];
  /** @type {(() => void) | null} */
  let wake = null;
  proc.on('message', (m) => { inbox.push(m); wake?.(); });
  let markId = 0;
  /** @param {string} type @param {number} timeoutMs @param {number} [id] @returns {Promise<any>} */
  const next = async (type, timeoutMs, id) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const k = inbox.findIndex((m) => m.type === type && (id === undefined || m.id === id));
      if (k >= 0) return inbox.splice(k, 1)[0];
      if (proc.exitCode !== null) throw new Error(`viewer process exited (${proc.exitCode}): ${/** @type {any} */ (proc).tail?.()}`);
      if (Date.now() > deadline) throw new Error(`viewer process gave no "${type}" within ${timeoutMs} ms`);
      await new Promise((r) => { wake = () => r(undefined); setTimeout(r, 100); });
      wake = null;
    }
  };
  return {
    next,
    mark: () => { const id = ++markId; proc.send({ cmd: 'mark', id }); return next('mark', 5000, id); },
  };
}

module.exports = { runPublishers, runViewers, FULL_RATE };

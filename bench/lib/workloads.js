// @ts-check
// The workloads, identical for every server: (a) N HLS publishers — CPU, RSS and segment → playlist
// latency; (b) one stream to V viewers — CPU per GB delivered, full-rate check and first-media latency, and
// (b)'s join burst — first media of V viewers joining within one second. (e) is in hls-load.js.
// Figures cover only a fixed window after warm-up, and only the server's own process tree.
'use strict';

const { join } = require('node:path');
const { performance } = require('node:perf_hooks');
const children = require('./children');
const { HlsLatencyWatcher } = require('./hls-watch');
const { ipc } = require('./ipc');
const { addedDelays } = require('./frame-delay');
const { TreeSampler, cpuWindow } = require('./proc-stats');
const { startPublishers, stopPublishers, waitStreamsFlowing } = require('./publishers');

const FULL_RATE = 0.95;
const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

/**
 * @typedef {{ warmupMs: number, windowMs: number, log: (s: string) => void }} Timing
 * @typedef {{ cpuS: number, sysS: number, helperS: number, windowS: number, rssPeak: number, rssIdle: number, latenciesMs: number[], unmatched: number,
 *   cpuRounds?: number[], rssRounds?: number[] }} PublishResult
 * @typedef {{ cpuS: number, sysS: number, helperS: number, windowS: number, wireBytes: number, cpuSPerGB: number, viewers: number, full: number,
 *   minFraction: number, minMediaTimeFraction: number, firstMediaMs: number[], dropped: string[], cpuRounds?: number[] }} ViewResult
 * @typedef {{ viewers: number, playing: number, firstMediaMs: number[], failures: string[] }} BurstResult
 * @typedef {{ delaysMs: number[] }} DelayResult
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
 * One stream, its publisher and V viewers (bench/viewers.js) opening over one second; `use` runs once all are
 * playing or the wait for media ran out, and the viewers and publisher are stopped after it.
 * @template T
 * @param {import('./target').Target} target
 * @param {import('./input').InputInfo} input
 * @param {{ count: number, kind: 'flv' | 'rtmp', trackDelay?: boolean }} v
 * @param {Timing} t
 * @param {(ready: any, ask: ReturnType<typeof ipc>) => Promise<T>} use
 * @returns {Promise<T>}
 */
async function withViewers(target, input, v, t, use) {
  const stream = await target.addStream(0);
  const url = v.kind === 'flv' ? stream.play.flv : stream.play.rtmp;
  if (!url) throw new Error(`${target.name} offers no ${v.kind} play URL`);
  const pubs = startPublishers(input.path, [stream.publishUrl]);
  /** @type {ReturnType<typeof children.start> | null} */
  let viewers = null;
  try {
    await waitStreamsFlowing(target, pubs, 30_000);
    t.log(`${target.name}: ${v.count} ${v.kind} viewers connecting`);
    const cfg = { kind: v.kind, url, count: v.count, rampMs: 1000, readyTimeoutMs: 20_000, trackDelay: !!v.trackDelay };
    viewers = children.start(process.execPath, [join(__dirname, '..', 'viewers.js'), JSON.stringify(cfg)],
      { name: 'viewers', ipc: true });
    const ask = ipc(viewers);
    return await use(await ask.next('ready', 40_000), ask);
  } finally {
    if (viewers) {
      if (viewers.connected) viewers.send({ cmd: 'stop' });
      await children.stop(viewers, 3000);
    }
    await stopPublishers(pubs);
  }
}

/**
 * (b) + (d): V viewers, then CPU per GB and delivery over the window.
 * @param {import('./target').Target} target
 * @param {import('./input').InputInfo} input
 * @param {{ count: number, kind: 'flv' | 'rtmp' }} v
 * @param {Timing} t
 * @returns {Promise<ViewResult>}
 */
function runViewers(target, input, v, t) {
  return withViewers(target, input, v, t, async (ready, ask) => {
    if (ready.playing < v.count) {
      throw new Error(`${ready.playing} of ${v.count} viewers got media (first failures: ${ready.failures.join('; ')})`);
    }
    await sleep(t.warmupMs);
    const cpu = cpuWindow(target.pid);
    const m0 = await ask.mark();
    await sleep(t.windowMs);
    const { cpuS, sysS, helperS, windowS } = cpu.read();
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
    return {
      cpuS, sysS, helperS, windowS, wireBytes, cpuSPerGB: cpuS / (wireBytes / 1e9), viewers: v.count, full,
      minFraction, minMediaTimeFraction,
      firstMediaMs: ready.firstMediaMs.filter((/** @type {number} */ x) => x >= 0),
      dropped: m1.closed.filter(Boolean).slice(0, 3),
    };
  });
}

/**
 * (b)'s join burst: V viewers connecting within one second to a stream already flowing; first media of each.
 * @param {import('./target').Target} target
 * @param {import('./input').InputInfo} input
 * @param {{ count: number, kind: 'flv' | 'rtmp' }} v
 * @param {Timing} t
 * @returns {Promise<BurstResult>}
 */
function runBurst(target, input, v, t) {
  return withViewers(target, input, v, t, async (ready) => ({
    viewers: v.count, playing: ready.playing, failures: ready.failures,
    firstMediaMs: ready.firstMediaMs.filter((/** @type {number} */ x) => x >= 0),
  }));
}

/**
 * One viewer of a real-time (-re) publisher: for each audio/video message, arrival time − media timestamp over the
 * window, less its minimum — the delay the server adds per frame (queueing, write merging), publisher pacing aside.
 * @param {import('./target').Target} target
 * @param {import('./input').InputInfo} input
 * @param {'flv' | 'rtmp'} kind
 * @param {Timing} t
 * @returns {Promise<DelayResult>}
 */
function runFrameDelay(target, input, kind, t) {
  return withViewers(target, input, { count: 1, kind, trackDelay: true }, t, async (ready, ask) => {
    if (ready.playing < 1) throw new Error(`the viewer got no media (${ready.failures.join('; ')})`);
    await sleep(t.warmupMs);
    await ask.delays(); // drop the warm-up's samples (the GOP cache arrives at once)
    await sleep(t.windowMs);
    const { delays } = await ask.delays();
    if (delays.length < 10) throw new Error(`only ${delays.length} frames arrived in the window`);
    return { delaysMs: addedDelays(delays) };
  });
}

module.exports = { runPublishers, runViewers, runBurst, runFrameDelay, FULL_RATE };

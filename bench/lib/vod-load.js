// @ts-check
// Workload (g): N RTMP VOD viewers of the same library file (nginx-rtmp's `application vod { play <dir>; }` and
// wxlive's `rtmp://…/vod/<name>`), opened over one second by bench/viewers.js: server CPU-s over the window (the
// file plays at real time, so the window stays inside its duration) and each viewer's first-byte / first-media latency.
'use strict';

const { join } = require('node:path');
const children = require('./children');
const { ipc } = require('./ipc');
const { cpuWindow } = require('./proc-stats');

const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));
/** the input lasts 20 s: leave the ramp, the start burst and the last seconds out of the window */
const PLAYBACK_MARGIN_S = 4;

/**
 * @typedef {{ cpuS: number, sysS: number, helperS: number, windowS: number, viewers: number, playing: number, wireBytes: number,
 *   firstByteMs: number[], firstMediaMs: number[], failures: string[], cpuRounds?: number[] }} VodResult
 */

/**
 * @param {import('./target').Target} target
 * @param {import('./input').InputInfo} input
 * @param {number} count
 * @param {{ warmupMs: number, windowMs: number, log: (s: string) => void }} t
 * @returns {Promise<VodResult>}
 */
async function runVodViewers(target, input, count, t) {
  if (!target.vodUrl) throw new Error(`${target.name} has no VOD play URL`);
  const url = await target.vodUrl();
  t.log(`${target.name}: ${count} RTMP VOD viewers of ${url}`);
  const cfg = { kind: 'rtmp', url, count, rampMs: 1000, readyTimeoutMs: 15_000 };
  const viewers = children.start(process.execPath, [join(__dirname, '..', 'viewers.js'), JSON.stringify(cfg)], { name: 'viewers', ipc: true });
  const ask = ipc(viewers);
  try {
    const ready = await ask.next('ready', 30_000);
    if (ready.playing < count) throw new Error(`${ready.playing} of ${count} VOD viewers got media (first failures: ${ready.failures.join('; ')})`);
    const windowMs = Math.max(1000, Math.min(t.windowMs, (input.durationS - PLAYBACK_MARGIN_S) * 1000 - 1000));
    await sleep(1000); // past the start burst every viewer gets
    const cpu = cpuWindow(target.pid);
    const m0 = await ask.mark();
    await sleep(windowMs);
    const { cpuS, sysS, helperS, windowS } = cpu.read();
    const m1 = await ask.mark();
    let wireBytes = 0;
    for (let i = 0; i < count; i++) wireBytes += m1.wire[i] - m0.wire[i];
    if (!target.alive()) throw new Error(`${target.name} died: ${target.diagnostics()}`);
    return {
      cpuS, sysS, helperS, windowS, viewers: count, playing: ready.playing, wireBytes,
      firstByteMs: ready.firstByteMs.filter((/** @type {number} */ x) => x >= 0),
      firstMediaMs: ready.firstMediaMs.filter((/** @type {number} */ x) => x >= 0),
      failures: ready.failures,
    };
  } finally {
    if (viewers.connected) viewers.send({ cmd: 'stop' });
    await children.stop(viewers, 3000);
  }
}

/** @param {(VodResult | { error: string })[]} rounds @returns {VodResult | { error: string }} */
function mergeVod(rounds) {
  const bad = rounds.find((r) => 'error' in r);
  if (bad) return bad;
  const r = /** @type {VodResult[]} */ (rounds);
  const median = (/** @type {number[]} */ xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  return {
    cpuS: median(r.map((x) => x.cpuS)), sysS: median(r.map((x) => x.sysS)), helperS: median(r.map((x) => x.helperS)),
    windowS: median(r.map((x) => x.windowS)), viewers: r[0]?.viewers ?? 0, playing: Math.min(...r.map((x) => x.playing)),
    wireBytes: median(r.map((x) => x.wireBytes)), firstByteMs: r.flatMap((x) => x.firstByteMs), firstMediaMs: r.flatMap((x) => x.firstMediaMs),
    failures: r.flatMap((x) => x.failures).slice(0, 5), cpuRounds: r.map((x) => x.cpuS),
  };
}

module.exports = { runVodViewers, mergeVod };

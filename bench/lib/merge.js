// @ts-check
// Several rounds of the same workload (`--rounds K`) folded into one result: the median of the costs, the worst
// of the delivery checks, and every latency sample — so a noisy neighbour on shared cores skews one round only.
'use strict';

/** The true median (mean of the middle two for an even count). @param {number[]} xs */
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? /** @type {number} */ (s[m]) : (/** @type {number} */ (s[m - 1]) + /** @type {number} */ (s[m])) / 2;
}

/**
 * @typedef {import('./workloads').PublishResult} PublishResult
 * @typedef {import('./workloads').ViewResult} ViewResult
 * @typedef {import('./workloads').BurstResult} BurstResult
 * @typedef {import('./hls-load').HlsResult} HlsResult
 * @typedef {{ error: string }} Failed
 */

/** @template T @param {(T | Failed)[]} rounds @returns {{ ok: T[] } | Failed} */
function split(rounds) {
  const bad = rounds.find((r) => 'error' in /** @type {object} */ (r));
  if (bad) return /** @type {Failed} */ (bad);
  return { ok: /** @type {T[]} */ (rounds) };
}

/** The CPU figures every measured workload has, as medians. @param {(PublishResult | ViewResult | HlsResult)[]} r */
function cpuMedians(r) {
  return {
    cpuS: median(r.map((x) => x.cpuS)),
    sysS: median(r.map((x) => x.sysS)),
    helperS: median(r.map((x) => x.helperS)),
    windowS: median(r.map((x) => x.windowS)),
  };
}

/** @param {(PublishResult | Failed)[]} rounds @returns {PublishResult | Failed} */
function mergePublish(rounds) {
  const s = split(rounds);
  if ('error' in s) return s;
  const r = s.ok;
  return {
    ...cpuMedians(r),
    rssPeak: Math.max(...r.map((x) => x.rssPeak)),
    rssIdle: median(r.map((x) => x.rssIdle)),
    latenciesMs: r.flatMap((x) => x.latenciesMs),
    unmatched: r.reduce((a, x) => a + x.unmatched, 0),
    cpuRounds: r.map((x) => x.cpuS),
    rssRounds: r.map((x) => x.rssPeak),
  };
}

/** @param {(ViewResult | Failed)[]} rounds @returns {ViewResult | Failed} */
function mergeView(rounds) {
  const s = split(rounds);
  if ('error' in s) return s;
  const r = s.ok;
  return {
    ...cpuMedians(r),
    wireBytes: median(r.map((x) => x.wireBytes)),
    cpuSPerGB: median(r.map((x) => x.cpuSPerGB)),
    viewers: Math.min(...r.map((x) => x.viewers)),
    full: Math.min(...r.map((x) => x.full)),
    minFraction: Math.min(...r.map((x) => x.minFraction)),
    minMediaTimeFraction: Math.min(...r.map((x) => x.minMediaTimeFraction)),
    firstMediaMs: r.flatMap((x) => x.firstMediaMs),
    dropped: r.flatMap((x) => x.dropped),
    cpuRounds: r.map((x) => x.cpuSPerGB),
  };
}

/** @param {(BurstResult | Failed)[]} rounds @returns {BurstResult | Failed} */
function mergeBurst(rounds) {
  const s = split(rounds);
  if ('error' in s) return s;
  const r = s.ok;
  return {
    viewers: Math.min(...r.map((x) => x.viewers)),
    playing: Math.min(...r.map((x) => x.playing)),
    firstMediaMs: r.flatMap((x) => x.firstMediaMs),
    failures: r.flatMap((x) => x.failures).slice(0, 5),
  };
}

/** Error counts of every round added up. @param {Record<string, number>[]} maps */
function addCounts(maps) {
  /** @type {Record<string, number>} */
  const out = {};
  for (const m of maps) for (const [k, v] of Object.entries(m)) out[k] = (out[k] ?? 0) + v;
  return out;
}

/** @param {(HlsResult | Failed)[]} rounds @returns {HlsResult | Failed} */
function mergeHls(rounds) {
  const s = split(rounds);
  if ('error' in s) return s;
  const r = s.ok;
  const sum = (/** @type {(x: HlsResult) => number} */ f) => r.reduce((a, x) => a + f(x), 0);
  return {
    ...cpuMedians(r),
    clients: Math.min(...r.map((x) => x.clients)),
    bytes: median(r.map((x) => x.bytes)),
    cpuSPerGB: median(r.map((x) => x.cpuSPerGB)),
    segMs: r.flatMap((x) => x.segMs),
    listMs: r.flatMap((x) => x.listMs),
    status: addCounts(r.map((x) => x.status)),
    resets: addCounts(r.map((x) => x.resets)),
    newConnections: sum((x) => x.newConnections),
    missed: sum((x) => x.missed),
    late: sum((x) => x.late),
    clientLagP99Ms: Math.max(...r.map((x) => x.clientLagP99Ms)),
    cpuRounds: r.map((x) => x.cpuSPerGB),
  };
}

/** Every round's samples together. @param {(import('./workloads').DelayResult | Failed)[]} rounds */
function mergeDelay(rounds) {
  const s = split(rounds);
  if ('error' in s) return s;
  return { delaysMs: s.ok.flatMap((x) => x.delaysMs) };
}

/** Median CPU, every round's latencies. @param {(import('./chat-load').ChatResult | Failed)[]} rounds */
function mergeChat(rounds) {
  const s = split(rounds);
  if ('error' in s) return s;
  const r = s.ok;
  return {
    ...cpuMedians(r), deliveries: r.reduce((a, x) => a + x.deliveries, 0), expected: r.reduce((a, x) => a + x.expected, 0),
    latenciesMs: r.flatMap((x) => x.latenciesMs), cpuRounds: r.map((x) => x.cpuS),
  };
}

module.exports = { mergePublish, mergeView, mergeBurst, mergeHls, mergeDelay, mergeChat };

// @ts-check
// Rows of workload (f): one room, S room sockets, M senders at one message a second; delivery latency p50/p95 to
// every socket and server CPU-s, wxlive's room socket beside a minimal `ws` broadcast server (the floor). Targets
// (issue 13): p95 ≤ 100 ms, CPU ≤ 2× the floor.
'use strict';

const { percentile } = require('./stats');
const { num, ratio } = require('./table');

const TARGET_P95_MS = 100;
const TARGET_CPU_RATIO = 2;

/**
 * @typedef {import('./chat-load').ChatResult} ChatResult
 * @typedef {import('./table').Row} Row
 * @typedef {{ error: string }} Failed
 */

/**
 * @param {{ sockets: number, senders: number }} load
 * @param {ChatResult | Failed | null} wx
 * @param {ChatResult | Failed | null} floor
 * @param {import('./report-e').RowKit} k
 * @returns {Row[]}
 */
function chatRows(load, wx, floor, k) {
  k.noteError('wxlive', '(f) chat', wx);
  k.noteError('ws floor', '(f) chat', floor);
  /** @type {ChatResult | null} */
  const w = k.ok(wx);
  /** @type {ChatResult | null} */
  const f = k.ok(floor);
  const F = `(f) chat: ${load.sockets} sockets, ${load.senders} senders at 1/s`;
  const lat = (/** @type {ChatResult | null} */ r, /** @type {number} */ q) => (r && r.latenciesMs.length ? percentile(r.latenciesMs, q) : NaN);
  /** @type {Row[]} */
  const rows = [{
    workload: F, figure: 'server CPU-s over the window (nginx column: ws floor)', wxlive: k.wxCell(w ? num(w.cpuS) : 'error'),
    nginx: k.ngxCell(f ? num(f.cpuS) : 'error'), ratio: ratio(w?.cpuS, f?.cpuS), target: `≤ ${TARGET_CPU_RATIO}× floor`,
    result: w && f ? k.verdict(w.cpuS <= TARGET_CPU_RATIO * f.cpuS) : 'n/a',
  }];
  for (const q of [50, 95]) {
    const wv = lat(w, q);
    rows.push({
      workload: F, figure: `delivery latency p${q} ms`, wxlive: k.wxCell(w ? num(wv, 1) : '–'), nginx: k.ngxCell(f ? num(lat(f, q), 1) : '–'),
      ratio: ratio(wv, lat(f, q)), target: q === 95 ? `≤ ${TARGET_P95_MS} ms` : '',
      result: q === 95 ? (w ? k.verdict(wv <= TARGET_P95_MS) : 'n/a') : 'info',
    });
  }
  const share = (/** @type {ChatResult | null} */ r) => (r ? `${r.deliveries} / ${r.expected}` : '–');
  rows.push({ workload: F, figure: 'deliveries / expected', wxlive: k.wxCell(share(w)), nginx: k.ngxCell(share(f)), ratio: '', target: '', result: 'info' });
  k.notes.push('(f) the floor is bench/ws-floor.js: `ws`, every frame broadcast to every socket, nothing else (no sessions, '
    + 'storage, limits or moderation); latency from the send time a message carries to its arrival at each socket '
    + '(senders and sockets share one client process and clock); expected = senders × window × every socket, sender included');
  return rows;
}

module.exports = { chatRows };

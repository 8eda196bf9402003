// @ts-check
// Rows of workload (g): N RTMP VOD viewers of one file, wxlive's `vod/<name>` beside nginx-rtmp's `application vod`
// in the same run: server CPU-s over the window (target ≤ 2× nginx's, issue 14) and first-byte / first-media latency.
'use strict';

const { percentile } = require('./stats');
const { num, ratio } = require('./table');

const TARGET_CPU_RATIO = 2;

/**
 * @param {number} count
 * @param {import('./vod-load').VodResult | { error: string } | null} wx
 * @param {import('./vod-load').VodResult | { error: string } | null} ngx
 * @param {import('./report-e').RowKit} k
 * @returns {import('./table').Row[]}
 */
function vodRows(count, wx, ngx, k) {
  const G = `(g) ${count} RTMP VOD viewers of one file`;
  k.noteError('wxlive', G, wx);
  k.noteError('nginx-rtmp', G, ngx);
  /** @type {import('./vod-load').VodResult | null} */
  const w = k.ok(wx);
  /** @type {import('./vod-load').VodResult | null} */
  const n = k.ok(ngx);
  /** @type {import('./table').Row[]} */
  const rows = [{
    workload: G, figure: `server CPU-s over ${w || n ? num((w ?? n)?.windowS ?? NaN, 1) : '–'} s`, wxlive: k.wxCell(w ? num(w.cpuS) : 'error'),
    nginx: k.ngxCell(n ? num(n.cpuS) : '–'), ratio: ratio(w?.cpuS, n?.cpuS), target: `≤ ${TARGET_CPU_RATIO}× nginx`,
    result: w && n ? k.verdict(w.cpuS <= TARGET_CPU_RATIO * n.cpuS) : 'n/a',
  }];
  const lat = (/** @type {import('./vod-load').VodResult | null} */ r, /** @type {'firstByteMs' | 'firstMediaMs'} */ f, /** @type {number} */ q) =>
    (r && r[f].length ? percentile(r[f], q) : NaN);
  for (const [f, what] of /** @type {const} */ ([['firstByteMs', 'first byte'], ['firstMediaMs', 'first media']])) {
    for (const q of [50, 95]) {
      rows.push({
        workload: G, figure: `${what} p${q} ms`, wxlive: k.wxCell(w ? num(lat(w, f, q), 1) : '–'), nginx: k.ngxCell(n ? num(lat(n, f, q), 1) : '–'),
        ratio: ratio(lat(w, f, q), lat(n, f, q)), target: '', result: 'info',
      });
    }
  }
  const share = (/** @type {import('./vod-load').VodResult | null} */ r) => (r ? `${r.playing}/${r.viewers}` : '–');
  rows.push({ workload: G, figure: 'viewers that got media', wxlive: k.wxCell(share(w)), nginx: k.ngxCell(share(n)), ratio: '', target: 'all',
    result: w ? k.verdict(w.playing === w.viewers) : 'n/a' });
  k.notes.push('(g) the bench input (20 s 720p FLV) in the library of each server (wxlive: DATA_DIR/vod, nginx: `application vod { play <dir>; }`), '
    + 'played by bench/viewers.js RTMP clients opening over 1 s; the window starts 1 s after all have media and ends before the file does; '
    + 'first byte/media from opening the TCP connection');
  return rows;
}

module.exports = { vodRows };

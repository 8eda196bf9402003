// @ts-check
// Rows of workload (e), N HLS players per server: CPU per GB, segment and playlist latency, errors; targets
// from issue 11 (CPU per GB ≤ 2.0× nginx at 300 and 1000 clients, segment p95 ≤ 20 ms at 300).
'use strict';

const { percentile } = require('./stats');
const { num, ratio } = require('./table');

const TARGET_HLS_PER_GB_RATIO = 2.0;
const TARGET_SEGMENT_P95_MS = 20;
/** the segment latency target is set for 300 clients; fewer can only make it easier */
const SEGMENT_TARGET_UP_TO = 300;

/**
 * @typedef {import('./hls-load').HlsResult} HlsResult
 * @typedef {import('./table').Row} Row
 * @typedef {{ error: string }} Failed
 * @typedef {{ ok: <T>(r: T | Failed | null | undefined) => T | null, wxCell: (v: string) => string, ngxCell: (v: string) => string,
 *   verdict: (good: boolean | null) => Row['result'], noteError: (who: string, what: string, r: unknown) => void,
 *   cpuSplitRows: (workload: string, w: any, n: any) => Row[], notes: string[] }} RowKit
 */

/** "3× 404, 1× ECONNRESET", or "0". @param {HlsResult} r */
function errorText(r) {
  const parts = [...Object.entries(r.status), ...Object.entries(r.resets)].map(([k, v]) => `${v}× ${k}`);
  return parts.length ? parts.join(', ') : '0';
}

/**
 * @param {number[]} counts
 * @param {Map<number, HlsResult | Failed>} wx
 * @param {Map<number, HlsResult | Failed>} ngx
 * @param {number} windowS
 * @param {RowKit} k
 * @returns {Row[]}
 */
function hlsRows(counts, wx, ngx, windowS, k) {
  /** @type {Row[]} */
  const rows = [];
  for (const n of counts) {
    const E = `(e) ${n} HLS clients`;
    const rawW = wx.get(n);
    const rawN = ngx.get(n);
    k.noteError('wxlive', E, rawW);
    k.noteError('nginx-rtmp', E, rawN);
    /** @type {HlsResult | null} */
    const w = k.ok(rawW);
    /** @type {HlsResult | null} */
    const g = k.ok(rawN);
    const row = (/** @type {Partial<Row> & { figure: string }} */ r) => rows.push({
      workload: E, wxlive: '–', nginx: '–', ratio: '', target: '', result: 'info', ...r,
    });
    row({
      figure: 'server CPU-s per GB delivered', wxlive: k.wxCell(w ? num(w.cpuSPerGB) : 'error'),
      nginx: k.ngxCell(g ? num(g.cpuSPerGB) : 'error'), ratio: ratio(w?.cpuSPerGB, g?.cpuSPerGB),
      target: `≤ ${TARGET_HLS_PER_GB_RATIO.toFixed(1)}× nginx`,
      result: w && g ? k.verdict(w.cpuSPerGB <= TARGET_HLS_PER_GB_RATIO * g.cpuSPerGB) : w ? 'n/a' : 'error',
    });
    const gb = (/** @type {HlsResult} */ r) => `${num(r.cpuS)} s / ${num(r.bytes / 1e9)} GB`;
    row({ figure: `  CPU-s / GB over ${windowS} s`, wxlive: k.wxCell(w ? gb(w) : '–'), nginx: k.ngxCell(g ? gb(g) : '–'), ratio: ratio(w?.cpuS, g?.cpuS) });
    rows.push(...k.cpuSplitRows(E, w, g));
    const lat = (/** @type {HlsResult | null} */ r, /** @type {'segMs' | 'listMs'} */ f, /** @type {number} */ q) => (r ? percentile(r[f], q) : NaN);
    for (const [f, what] of /** @type {['segMs' | 'listMs', string][]} */ ([['segMs', 'segment'], ['listMs', 'playlist']])) {
      for (const q of [50, 95]) {
        const judged = f === 'segMs' && q === 95 && n <= SEGMENT_TARGET_UP_TO;
        const wv = lat(w, f, q);
        row({
          figure: `${what} latency p${q} ms (request → last byte)`, wxlive: k.wxCell(w ? num(wv, 1) : '–'),
          nginx: k.ngxCell(g ? num(lat(g, f, q), 1) : '–'), ratio: ratio(wv, lat(g, f, q)),
          target: judged ? `≤ ${TARGET_SEGMENT_P95_MS} ms` : '',
          result: !judged ? 'info' : w ? (w.segMs.length ? k.verdict(wv <= TARGET_SEGMENT_P95_MS) : 'error') : 'n/a',
        });
      }
    }
    row({ figure: 'errors (non-200, resets, timeouts)', wxlive: k.wxCell(w ? errorText(w) : '–'), nginx: k.ngxCell(g ? errorText(g) : '–') });
    const counts2 = (/** @type {HlsResult} */ r) => `${r.segMs.length} / ${r.listMs.length}`;
    row({ figure: '  segments / playlists fetched', wxlive: k.wxCell(w ? counts2(w) : '–'), nginx: k.ngxCell(g ? counts2(g) : '–') });
    const misc = (/** @type {HlsResult} */ r) => `${r.newConnections} / ${r.missed} / ${r.late}`;
    row({ figure: '  new connections / missed segments / late polls', wxlive: k.wxCell(w ? misc(w) : '–'), nginx: k.ngxCell(g ? misc(g) : '–') });
    row({
      figure: '  client process event-loop lag p99 ms', wxlive: k.wxCell(w ? num(w.clientLagP99Ms, 1) : '–'),
      nginx: k.ngxCell(g ? num(g.clientLagP99Ms, 1) : '–'),
    });
  }
  k.notes.push('(e) each client polls the live playlist once a second and fetches every segment it newly lists once, on its own ' +
    'keep-alive connection (clients in a separate process); CPU per GB = server process tree CPU over the window ÷ body bytes ' +
    `the clients read; latency from the request's start to the body's last byte; segment p95 judged up to ${SEGMENT_TARGET_UP_TO} clients; ` +
    '"new connections" in the window should be 0 (keep-alive held), "late polls" = polls whose playlist and segments took over a second; ' +
    'a large client lag means the clients, not the server, set the latency');
  return rows;
}

module.exports = { hlsRows };

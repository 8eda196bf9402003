// @ts-check
// Rows of (b)'s join burst: V viewers connecting within one second, first media byte median / p95; targets
// from issue 11 (median ≤ 150 ms, p95 ≤ 300 ms), judged on wxlive HTTP-FLV; its RTMP is shown for comparison.
'use strict';

const { percentile } = require('./stats');
const { num, ratio } = require('./table');

const TARGET_BURST_MEDIAN_MS = 150;
const TARGET_BURST_P95_MS = 300;

/**
 * @typedef {import('./workloads').BurstResult} BurstResult
 * @typedef {import('./table').Row} Row
 * @typedef {{ error: string }} Failed
 */

/**
 * @param {number} count
 * @param {Map<string, BurstResult | Failed>} wx  by kind: 'flv' | 'rtmp'
 * @param {BurstResult | Failed | null} ngx
 * @param {import('./report-e').RowKit} k
 * @returns {Row[]}
 */
function burstRows(count, wx, ngx, k) {
  /** @type {Row[]} */
  const rows = [];
  k.noteError('nginx-rtmp', '(b) join burst', ngx);
  /** @type {BurstResult | null} */
  const g = k.ok(ngx);
  for (const [kind, raw] of wx) {
    k.noteError('wxlive', `(b) join burst ${kind}`, raw);
    /** @type {BurstResult | null} */
    const w = k.ok(raw);
    const judged = kind === 'flv';
    const B = `(b) join burst: ${count} viewers in 1 s, wxlive ${kind === 'flv' ? 'HTTP-FLV' : 'RTMP'}`;
    const at = (/** @type {BurstResult | null} */ r, /** @type {number} */ q) => (r ? percentile(r.firstMediaMs, q) : NaN);
    for (const [q, name, target] of /** @type {[number, string, number][]} */ ([[50, 'first media median ms', TARGET_BURST_MEDIAN_MS], [95, 'first media p95 ms', TARGET_BURST_P95_MS]])) {
      const wv = at(w, q);
      rows.push({
        workload: B, figure: name, wxlive: k.wxCell(w ? num(wv, 1) : 'error'), nginx: k.ngxCell(g ? num(at(g, q), 1) : 'error'),
        ratio: ratio(wv, at(g, q)), target: judged ? `≤ ${target} ms` : '',
        result: !judged ? 'info' : w ? (w.firstMediaMs.length ? k.verdict(wv <= target) : 'error') : 'n/a',
      });
    }
    rows.push({
      workload: B, figure: 'viewers with media within 20 s', wxlive: k.wxCell(w ? `${w.playing}/${w.viewers}` : '–'),
      nginx: k.ngxCell(g ? `${g.playing}/${g.viewers}` : '–'), ratio: '', target: judged ? 'all' : '',
      result: !judged ? 'info' : w ? k.verdict(w.playing === w.viewers) : 'error',
    });
    if (w && w.failures.length) k.notes.push(`wxlive join burst ${kind}: viewers without media: ${w.failures.join('; ')}`);
  }
  if (g && g.failures.length) k.notes.push(`nginx-rtmp join burst: viewers without media: ${g.failures.join('; ')}`);
  k.notes.push('(b) join burst: the viewers open over one second on a stream already flowing; first media = connection ' +
    'opened (HTTP GET / TCP connect) → first audio or video payload byte; nginx-rtmp serves RTMP (it has no HTTP-FLV)');
  return rows;
}

module.exports = { burstRows };

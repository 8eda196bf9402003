// @ts-check
// Rows of (d)'s per-frame delay: one viewer of a real-time publisher, arrival − media timestamp of every audio/video
// message less its minimum. Issue 11's target is "unchanged or better" than the wxlive it measured (HTTP-FLV at
// the default 100 ms merge: p50 59 ms, p95 109 ms); nginx-rtmp (RTMP) is the floor shown beside it.
'use strict';

const { percentile } = require('./stats');
const { num, ratio } = require('./table');

/** issue 11's "wxlive now" for a single FLV viewer, the figures not to exceed */
const BEFORE_P50_MS = 59;
const BEFORE_P95_MS = 109;

/**
 * @typedef {import('./workloads').DelayResult} DelayResult
 * @typedef {import('./table').Row} Row
 * @typedef {{ error: string }} Failed
 */

/**
 * @param {DelayResult | Failed | null} wx  wxlive HTTP-FLV at the default merge
 * @param {DelayResult | Failed | null} ngx nginx-rtmp RTMP
 * @param {import('./report-e').RowKit} k
 * @returns {Row[]}
 */
function delayRows(wx, ngx, k) {
  k.noteError('wxlive', '(d) delay per frame', wx);
  k.noteError('nginx-rtmp', '(d) delay per frame', ngx);
  /** @type {DelayResult | null} */
  const w = k.ok(wx);
  /** @type {DelayResult | null} */
  const g = k.ok(ngx);
  const D = '(d) delay per frame, one viewer, wxlive HTTP-FLV';
  const at = (/** @type {DelayResult | null} */ r, /** @type {number} */ q) => (r ? percentile(r.delaysMs, q) : NaN);
  /** @type {Row[]} */
  const rows = [];
  for (const [q, target] of [[50, BEFORE_P50_MS], [95, BEFORE_P95_MS]]) {
    const wv = at(w, q);
    rows.push({
      workload: D, figure: `p${q} ms over the fastest frame`, wxlive: k.wxCell(w ? num(wv, 1) : 'error'),
      nginx: k.ngxCell(g ? num(at(g, q), 1) : 'error'), ratio: ratio(wv, at(g, q)), target: `≤ ${target} ms`,
      result: w ? k.verdict(wv <= target) : 'n/a',
    });
  }
  rows.push({
    workload: D, figure: 'frames measured', wxlive: k.wxCell(w ? String(w.delaysMs.length) : '–'),
    nginx: k.ngxCell(g ? String(g.delaysMs.length) : '–'), ratio: '', target: '', result: 'info',
  });
  k.notes.push('(d) delay per frame: one viewer of an `ffmpeg -re` publisher; for each audio/video message, arrival time − '
    + 'its timestamp, less the smallest such value in the window (so the publisher\'s own pacing cancels out); wxlive at the '
    + `default FLV_MERGE_MS; target: issue 11's "unchanged or better" than p50 ${BEFORE_P50_MS} / p95 ${BEFORE_P95_MS} ms`);
  return rows;
}

module.exports = { delayRows };

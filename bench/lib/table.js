// @ts-check
// The printed result: one row per figure with wxlive, the nginx-rtmp baseline, their ratio, target and verdict.
'use strict';

/**
 * @typedef {object} Row
 * @property {string} workload
 * @property {string} figure
 * @property {string} wxlive
 * @property {string} nginx
 * @property {string} ratio
 * @property {string} target
 * @property {'pass' | 'FAIL' | 'info' | 'n/a' | 'error'} result
 */

const HEAD = { workload: 'workload', figure: 'figure', wxlive: 'wxlive', nginx: 'nginx-rtmp', ratio: 'wxlive/nginx', target: 'target', result: 'result' };
/** @type {(keyof Row)[]} */
const COLS = ['workload', 'figure', 'wxlive', 'nginx', 'ratio', 'target', 'result'];
const RIGHT = new Set(['wxlive', 'nginx', 'ratio']);

/** @param {Row[]} rows */
function render(rows) {
  const all = [/** @type {Row} */ (/** @type {unknown} */ (HEAD)), ...rows];
  const width = Object.fromEntries(COLS.map((c) => [c, Math.max(...all.map((r) => String(r[c]).length))]));
  /** @param {Row} r */
  const line = (r) => COLS.map((c) => {
    const w = /** @type {number} */ (width[c]);
    return RIGHT.has(c) ? String(r[c]).padStart(w) : String(r[c]).padEnd(w);
  }).join(' | ').trimEnd();
  const rule = COLS.map((c) => '-'.repeat(/** @type {number} */ (width[c]))).join('-+-');
  const out = [line(all[0]), rule];
  let prev = '';
  for (const r of rows) {
    // print the workload name once per group so the table reads top-down
    out.push(line({ ...r, workload: r.workload === prev ? '' : r.workload }));
    prev = r.workload;
  }
  return out.join('\n');
}

/** @param {number} x @param {number} [digits] */
const num = (x, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : '–');

/** wxlive ÷ nginx as "1.23×", or "–" when either is missing. @param {number | undefined} a @param {number | undefined} b */
function ratio(a, b) {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return '–';
  return `${(a / b).toFixed(2)}×`;
}

module.exports = { render, num, ratio };

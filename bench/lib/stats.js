// @ts-check
// Order statistics for latency samples.
'use strict';

/** Nearest-rank percentile (p in 0..100); NaN for no samples. @param {number[]} xs @param {number} p */
function percentile(xs, p) {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return /** @type {number} */ (s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]);
}

const median = (/** @type {number[]} */ xs) => percentile(xs, 50);
const max = (/** @type {number[]} */ xs) => (xs.length ? Math.max(...xs) : NaN);

module.exports = { percentile, median, max };

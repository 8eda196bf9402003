// @ts-check
// The per-frame delay a server adds, measured where the frames arrive: for each audio/video message, arrival time
// − its media timestamp; against a real-time publisher the smallest such value is the path's fixed part (network,
// publisher pacing), so what is above it is queueing and write merging. Shared by `npm run bench` ((d), forked
// viewers) and the tests (test/media/e2e/low-latency-delay.test.ts), so both measure the same thing.
'use strict';

const http = require('node:http');
const { performance } = require('node:perf_hooks');
const { FlvReader } = require('./flv-reader');
const { percentile } = require('./stats');

class FrameDelays {
  /** @param {() => number} [now] a monotonic clock in ms */
  constructor(now = () => performance.now()) {
    this.now = now;
    /** @type {number[]} arrival − media timestamp, ms */
    this.raw = [];
  }

  /** @param {number} timestampMs the message's media timestamp */
  note(timestampMs) {
    this.raw.push(this.now() - timestampMs);
  }

  /** The samples so far (raw), and a fresh start: the warm-up (GOP burst) is dropped this way. */
  take() {
    const raw = this.raw;
    this.raw = [];
    return raw;
  }
}

/**
 * Each raw sample less the smallest: the delay added per frame.
 * @param {number[]} raw
 * @returns {number[]}
 */
function addedDelays(raw) {
  if (raw.length === 0) return [];
  const floor = Math.min(...raw);
  return raw.map((d) => d - floor);
}

/**
 * p50/p95 of added delays, and how many frames they are over.
 * @param {number[]} delays
 */
function delaySummary(delays) {
  return { p50: percentile(delays, 50), p95: percentile(delays, 95), frames: delays.length };
}

/**
 * An HTTP-FLV viewer that notes each message's arrival (a test's or a bench child's).
 * @param {string} url
 * @returns {{ delays: FrameDelays, status: Promise<number>, close(): void }}
 */
function watchFlvDelays(url) {
  const delays = new FrameDelays();
  const reader = new FlvReader((_kind, _bytes, ts) => delays.note(ts));
  /** @type {(n: number) => void} */
  let settle = () => undefined;
  const status = new Promise((resolve) => { settle = resolve; });
  const req = http.get(url, { agent: false }, (res) => {
    settle(res.statusCode ?? 0);
    res.on('data', (/** @type {Buffer} */ d) => reader.push(d));
  });
  req.on('error', () => settle(0));
  return { delays, status: /** @type {Promise<number>} */ (status), close: () => req.destroy() };
}

module.exports = { FrameDelays, addedDelays, delaySummary, watchFlvDelays };

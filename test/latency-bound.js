// Suites whose assertions are wall-clock latencies of a few hundred milliseconds or less (bus hops, frame
// delay, a probe under flood, /healthz beside a slow disk). `npm test` runs them one at a time after the
// others (scripts/run-tests.js), so what they measure is the server, not a second jest worker's Chromium
// or ffmpeg on the same two cores. Paths are relative to test/.
module.exports = [
  'chat/redis-bus.test.ts',
  'chat/redis-bus-nodes.test.ts',
  'media/e2e/low-latency-delay.test.ts',
  'api/http-flood.test.ts',
  'media/http-hls/hls-http-slow-disk.test.ts',
];

// @ts-check
// Viewer load for the bench, run as its own process (forked with IPC) so reading 300 streams never shares
// an event loop with the measuring code: opens V HTTP-FLV or RTMP play connections, then reports per-viewer
// byte counters whenever the parent asks ("mark"), and first-media latencies once everyone is playing.
'use strict';

const http = require('node:http');
const { performance } = require('node:perf_hooks');
const { FrameDelays } = require('./lib/frame-delay');
const { FlvReader } = require('./lib/flv-reader');
const { RtmpPlayer } = require('./lib/rtmp-play');

/** @typedef {{ kind: 'flv' | 'rtmp', url: string, count: number, rampMs: number, readyTimeoutMs: number, trackDelay?: boolean }} ViewerConfig */
/** @typedef {{ wire: number, media: number, lastTs: number, openedAt: number, firstByteMs: number, firstMediaMs: number, closed: string }} Viewer */

/** @type {ViewerConfig} */
const cfg = JSON.parse(process.argv[2] ?? '{}');
/** @type {Viewer[]} */
const viewers = [];
/** @type {(() => void)[]} */
const closers = [];
/**
 * With trackDelay, the first viewer's arrival time minus the media timestamp of every audio/video message (ms):
 * against a real-time publisher its spread is the delay the server adds per frame (the bench subtracts the minimum).
 * @type {number[]}
 */
const delays = new FrameDelays();
/** @param {Viewer} v @param {number} ts */
const noteArrival = (v, ts) => { if (cfg.trackDelay && v === viewers[0]) delays.note(ts); };

/** @param {Viewer} v */
function openFlv(v) {
  const reader = new FlvReader((_kind, bytes, ts) => {
    if (v.firstMediaMs < 0) v.firstMediaMs = performance.now() - v.openedAt;
    v.media += bytes;
    v.lastTs = ts;
    noteArrival(v, ts);
  });
  const req = http.get(cfg.url, { agent: false }, (res) => {
    if (res.statusCode !== 200) {
      v.closed = `HTTP ${res.statusCode}`;
      res.resume();
      return;
    }
    res.on('data', (/** @type {Buffer} */ d) => {
      if (v.firstByteMs < 0) v.firstByteMs = performance.now() - v.openedAt;
      v.wire += d.length;
      reader.push(d);
    });
    res.on('end', () => { v.closed ||= 'ended by server'; });
  });
  req.on('error', (e) => { v.closed ||= `error: ${e.message}`; });
  closers.push(() => req.destroy());
}

/** @param {Viewer} v */
function openRtmp(v) {
  const u = new URL(cfg.url);
  const [, app = '', ...rest] = u.pathname.split('/');
  const player = new RtmpPlayer({
    host: u.hostname, port: Number(u.port || 1935), app,
    stream: rest.join('/') + u.search, tcUrl: `rtmp://${u.host}/${app}`,
  }, {
    onWire: (n) => {
      if (v.firstByteMs < 0) v.firstByteMs = performance.now() - v.openedAt;
      v.wire += n;
    },
    onFirstMedia: () => { v.firstMediaMs = performance.now() - v.openedAt; },
    onMediaBytes: (n) => { v.media += n; },
    onMediaTs: (ts) => { v.lastTs = ts; noteArrival(v, ts); },
    onClose: (why) => { v.closed ||= why; },
  });
  player.open();
  closers.push(() => player.close('stopped'));
}

function openOne() {
  /** @type {Viewer} */
  const v = { wire: 0, media: 0, lastTs: -1, openedAt: performance.now(), firstByteMs: -1, firstMediaMs: -1, closed: '' };
  viewers.push(v);
  if (cfg.kind === 'flv') openFlv(v);
  else openRtmp(v);
}

/** Open everyone over rampMs (a burst of 300 connects in one tick would mostly measure this process). */
function ramp() {
  const ticks = Math.max(1, Math.round(cfg.rampMs / 20));
  const perTick = Math.ceil(cfg.count / ticks);
  const timer = setInterval(() => {
    for (let k = 0; k < perTick && viewers.length < cfg.count; k++) openOne();
    if (viewers.length >= cfg.count) {
      clearInterval(timer);
      waitReady();
    }
  }, 20);
}

function waitReady() {
  const deadline = performance.now() + cfg.readyTimeoutMs;
  const check = setInterval(() => {
    const playing = viewers.filter((v) => v.firstMediaMs >= 0).length;
    const gone = viewers.filter((v) => v.closed).length;
    if (playing + gone >= viewers.length || performance.now() > deadline) {
      clearInterval(check);
      send({
        type: 'ready',
        playing,
        firstByteMs: viewers.map((v) => v.firstByteMs),
        firstMediaMs: viewers.map((v) => v.firstMediaMs),
        failures: viewers.filter((v) => v.closed || v.firstMediaMs < 0).map((v) => v.closed || 'no media yet').slice(0, 5),
      });
    }
  }, 50);
}

/** @param {object} msg */
function send(msg) { if (process.send) process.send(msg); }

process.on('message', (/** @type {{ cmd: string, id?: number }} */ m) => {
  if (m.cmd === 'mark') {
    send({
      type: 'mark', id: m.id,
      wire: viewers.map((v) => v.wire), media: viewers.map((v) => v.media), lastTs: viewers.map((v) => v.lastTs),
      closed: viewers.map((v) => v.closed),
    });
  } else if (m.cmd === 'delays') {
    send({ type: 'delays', id: m.id, delays: delays.take() });
  } else if (m.cmd === 'stop') {
    for (const c of closers) c();
    setTimeout(() => process.exit(0), 50);
  }
});
process.on('disconnect', () => process.exit(0)); // the bench died: never outlive it

ramp();

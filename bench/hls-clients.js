// @ts-check
// HLS player load for workload (e), run as its own process (forked with IPC) like viewers.js, so the clients'
// CPU is never the server's: N clients, each on its own keep-alive connection (an Agent with maxSockets 1),
// poll the live playlist once a second and fetch every segment it newly lists exactly once, in order, like a
// player at the live edge. Each request is timed from its start to the body's last byte.
'use strict';

const http = require('node:http');
const { monitorEventLoopDelay, performance } = require('node:perf_hooks');

/** @typedef {{ url: string, count: number, rampMs: number, pollMs: number, timeoutMs: number, readyTimeoutMs: number }} HlsClientConfig */

/** @type {HlsClientConfig} */
const cfg = JSON.parse(process.argv[2] ?? '{}');
const EMPTY = Buffer.alloc(0);

/**
 * What the clients did since the last "mark": the parent marks once at the window's start and once at its end.
 * @typedef {{ bytes: number, segMs: number[], listMs: number[], status: Record<string, number>,
 *   resets: Record<string, number>, newConnections: number, missed: number, late: number }} Window
 */
/** @returns {Window} */
const freshWindow = () => ({ bytes: 0, segMs: [], listMs: [], status: {}, resets: {}, newConnections: 0, missed: 0, late: 0 });
let win = freshWindow();
const lag = monitorEventLoopDelay({ resolution: 10 });
lag.enable();

/** @param {Record<string, number>} m @param {string} k */
const bump = (m, k) => { m[k] = (m[k] ?? 0) + 1; };

/** @param {string} text @returns {{ seq: number, uris: string[] }} */
function parsePlaylist(text) {
  let seq = 0;
  /** @type {string[]} */
  const uris = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#EXT-X-MEDIA-SEQUENCE:')) seq = Number(line.slice(22));
    else if (line && !line.startsWith('#')) uris.push(line);
  }
  return { seq, uris };
}

class Client {
  constructor() {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    this.nextSeq = -1; // media sequence of the next segment to fetch; -1 until the first playlist
    this.segments = 0;
    this.stopped = false;
    /** @type {NodeJS.Timeout | null} */
    this.timer = null;
    this.why = '';
  }

  async tick() {
    const began = performance.now();
    await this.poll();
    if (this.stopped) return;
    const wait = cfg.pollMs - (performance.now() - began);
    if (wait < 0) win.late++; // the playlist and its new segments took longer than the poll interval
    this.timer = setTimeout(() => void this.tick(), Math.max(0, wait));
  }

  async poll() {
    const list = await this.get(cfg.url, false);
    if (!list) return;
    const { seq, uris } = parsePlaylist(list.toString('latin1'));
    if (uris.length === 0) return;
    const end = seq + uris.length;
    // a player joins at the live edge, then takes every segment once; one that left the window is missed
    if (this.nextSeq < 0 || this.nextSeq > end) this.nextSeq = end - 1;
    if (this.nextSeq < seq) {
      win.missed += seq - this.nextSeq;
      this.nextSeq = seq;
    }
    while (this.nextSeq < end && !this.stopped) {
      const uri = /** @type {string} */ (uris[this.nextSeq - seq]);
      this.nextSeq++; // once, even when it fails: a player moves on too
      if (await this.get(new URL(uri, cfg.url).href, true)) this.segments++;
    }
  }

  /**
   * One GET on this client's connection; its body (playlists only), or null after a non-200 or an error.
   * @param {string} url @param {boolean} segment @returns {Promise<Buffer | null>}
   */
  get(url, segment) {
    return new Promise((resolve) => {
      const t0 = performance.now();
      let settled = false;
      /** @param {Buffer | null} v */
      const settle = (v) => { if (!settled) { settled = true; resolve(v); } };
      /** a reset, refusal or timeout, counted once per request even when both req and res report it */
      const fail = (/** @type {NodeJS.ErrnoException} */ e) => {
        if (settled) return;
        if (!this.stopped) {
          bump(win.resets, e.code ?? e.message);
          this.why = `${e.code ?? e.message} on ${segment ? 'a segment' : 'the playlist'}`;
        }
        settle(null);
      };
      const req = http.get(url, { agent: this.agent }, (res) => {
        if (!req.reusedSocket) win.newConnections++;
        if (res.statusCode !== 200) {
          bump(win.status, String(res.statusCode));
          this.why = `HTTP ${res.statusCode} for ${segment ? 'a segment' : 'the playlist'}`;
          res.resume();
          res.on('end', () => settle(null));
          res.on('error', fail);
          return;
        }
        /** @type {Buffer[]} */
        const chunks = [];
        res.on('data', (/** @type {Buffer} */ d) => {
          win.bytes += d.length;
          if (!segment) chunks.push(d);
        });
        res.on('end', () => {
          (segment ? win.segMs : win.listMs).push(performance.now() - t0);
          settle(segment ? EMPTY : Buffer.concat(chunks));
        });
        res.on('error', fail); // reset mid-body
      });
      req.setTimeout(cfg.timeoutMs, () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
      req.on('error', fail);
    });
  }

  stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.agent.destroy();
  }
}

/** @type {Client[]} */
const clients = [];

/** Start the clients evenly over rampMs, so their once-a-second polls are spread over the second like real players'. */
function ramp() {
  const t0 = performance.now();
  const timer = setInterval(() => {
    const due = Math.min(cfg.count, Math.ceil(((performance.now() - t0) / cfg.rampMs) * cfg.count));
    while (clients.length < due) {
      const c = new Client();
      clients.push(c);
      void c.tick();
    }
    if (clients.length >= cfg.count) {
      clearInterval(timer);
      waitReady();
    }
  }, 10);
}

/** Ready once every client has fetched a segment (or the wait ran out). */
function waitReady() {
  const deadline = performance.now() + cfg.readyTimeoutMs;
  const check = setInterval(() => {
    const playing = clients.filter((c) => c.segments > 0).length;
    if (playing >= clients.length || performance.now() > deadline) {
      clearInterval(check);
      send({
        type: 'ready', playing,
        failures: clients.filter((c) => c.segments === 0).map((c) => c.why || 'no segment yet').slice(0, 5),
      });
    }
  }, 50);
}

/** @param {object} msg */
function send(msg) { if (process.send) process.send(msg); }

process.on('message', (/** @type {{ cmd: string, id?: number }} */ m) => {
  if (m.cmd === 'mark') {
    send({ type: 'mark', id: m.id, ...win, lagP99Ms: lag.percentile(99) / 1e6, lagMaxMs: lag.max / 1e6 });
    win = freshWindow();
    lag.reset();
  } else if (m.cmd === 'stop') {
    for (const c of clients) c.stop();
    setTimeout(() => process.exit(0), 50);
  }
});
process.on('disconnect', () => process.exit(0)); // the bench died: never outlive it

ramp();

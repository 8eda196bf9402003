// @ts-check
// A minimal RTMP play client for the bench: simple handshake, connect, createStream, play, then it de-chunks
// what arrives and counts audio/video payload bytes without copying them. It answers pings and sends
// acknowledgements so servers that enforce the window keep sending.
'use strict';

const net = require('node:net');
const { randomBytes } = require('node:crypto');
const amf = require('./amf0');

const HANDSHAKE = 1536;
const OUT_CHUNK = 128; // we never announce a bigger chunk size
const MAX_HEADER = 18; // 3 basic + 11 message + 4 extended timestamp

/** @typedef {{ ts: number, delta: number, length: number, type: number, streamId: number, left: number, ext: boolean, body: Buffer[] | null }} ChunkStream */

class RtmpPlayer {
  /**
   * @param {{ host: string, port: number, app: string, stream: string, tcUrl: string }} target
   * @param {{ onFirstMedia?: () => void, onMediaBytes?: (n: number) => void, onMediaTs?: (ms: number) => void,
   *           onWire?: (n: number) => void, onClose?: (why: string) => void }} hooks
   */
  constructor(target, hooks) {
    this.t = target;
    this.h = hooks;
    /** @type {net.Socket | null} */
    this.sock = null;
    this.phase = /** @type {'handshake' | 'chunks' | 'closed'} */ ('handshake');
    /** @type {Buffer | null} */
    this.partial = null;
    this.inChunk = 1 << 7;
    /** @type {Map<number, ChunkStream>} */
    this.cs = new Map();
    /** @type {ChunkStream | null} the chunk stream whose payload is being read */
    this.cur = null;
    this.chunkLeft = 0;
    this.received = 0;
    this.ackWindow = 0;
    this.lastAck = 0;
    this.sawMedia = false;
    this.streamId = 0;
  }

  open() {
    const s = net.connect({ host: this.t.host, port: this.t.port });
    this.sock = s;
    s.setNoDelay(true);
    s.on('connect', () => {
      const c1 = randomBytes(HANDSHAKE);
      c1.fill(0, 0, 8); // time 0, zero version: the plain (non-digest) handshake every server accepts
      s.write(Buffer.concat([Buffer.from([3]), c1]));
    });
    s.on('data', (d) => this.onData(d));
    s.on('error', (e) => this.close(`error: ${e.message}`));
    s.on('close', () => this.close('closed by server'));
  }

  /** @param {string} why */
  close(why) {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    this.sock?.destroy();
    this.h.onClose?.(why);
  }

  /** @param {Buffer} d */
  onData(d) {
    this.received += d.length;
    this.h.onWire?.(d.length);
    let buf = this.partial ? Buffer.concat([this.partial, d]) : d;
    this.partial = null;
    if (this.phase === 'handshake') {
      if (buf.length < 1 + 2 * HANDSHAKE) { this.partial = buf; return; }
      const s1 = buf.subarray(1, 1 + HANDSHAKE);
      this.sock?.write(s1); // C2 echoes S1
      this.phase = 'chunks';
      this.command('connect', 1, {
        app: this.t.app, flashVer: 'LNX 9,0,124,2', tcUrl: this.t.tcUrl, fpad: false,
        capabilities: 15, audioCodecs: 3191, videoCodecs: 252, videoFunction: 1,
      });
      buf = buf.subarray(1 + 2 * HANDSHAKE);
    }
    this.parse(buf);
    if (this.ackWindow > 0 && this.received - this.lastAck >= this.ackWindow) {
      this.lastAck = this.received;
      const b = Buffer.alloc(4);
      b.writeUInt32BE(this.received % 0x100000000);
      this.send(2, 3, 0, b);
    }
  }

  /** @param {Buffer} buf */
  parse(buf) {
    let i = 0;
    while (i < buf.length && this.phase === 'chunks') {
      if (this.chunkLeft > 0) {
        const cur = /** @type {ChunkStream} */ (this.cur);
        const n = Math.min(this.chunkLeft, buf.length - i);
        if (cur.body) cur.body.push(Buffer.from(buf.subarray(i, i + n)));
        else this.h.onMediaBytes?.(n);
        this.chunkLeft -= n;
        cur.left -= n;
        i += n;
        if (cur.left === 0) this.onMessage(cur);
        continue;
      }
      const used = this.header(buf, i);
      if (used === 0) { this.partial = Buffer.from(buf.subarray(i)); return; }
      i += used;
    }
  }

  /** Parse one chunk header at `i`; 0 when it is not complete yet. @param {Buffer} buf @param {number} i */
  header(buf, i) {
    const avail = buf.length - i;
    if (avail < MAX_HEADER && !this.headerFits(buf, i)) return 0;
    let p = i;
    const b0 = /** @type {number} */ (buf[p++]);
    const fmt = b0 >> 6;
    let csid = b0 & 0x3f;
    if (csid === 0) csid = 64 + /** @type {number} */ (buf[p++]);
    else if (csid === 1) { csid = 64 + /** @type {number} */ (buf[p]) + /** @type {number} */ (buf[p + 1]) * 256; p += 2; }
    let st = this.cs.get(csid);
    if (!st) { st = { ts: 0, delta: 0, length: 0, type: 0, streamId: 0, left: 0, ext: false, body: null }; this.cs.set(csid, st); }
    let tsField = 0;
    if (fmt <= 2) tsField = buf.readUIntBE(p, 3), p += 3;
    if (fmt <= 1) { st.length = buf.readUIntBE(p, 3); st.type = /** @type {number} */ (buf[p + 3]); p += 4; }
    if (fmt === 0) { st.streamId = buf.readUInt32LE(p); p += 4; }
    if (fmt <= 2) st.ext = tsField === 0xffffff;
    if (st.ext) { tsField = buf.readUInt32BE(p); p += 4; }
    const starts = st.left === 0;
    if (fmt === 0) st.ts = tsField;
    else if (fmt <= 2) { st.delta = tsField; if (starts) st.ts += tsField; }
    else if (starts) st.ts += st.delta;
    if (starts) {
      st.left = st.length;
      const media = st.type === 8 || st.type === 9;
      st.body = media ? null : [];
      if (media) {
        if (!this.sawMedia) { this.sawMedia = true; this.h.onFirstMedia?.(); }
        this.h.onMediaTs?.(st.ts);
      }
    }
    this.cur = st;
    this.chunkLeft = Math.min(this.inChunk, st.left);
    if (st.left === 0) this.onMessage(st); // an empty message
    return p - i;
  }

  /** Whether the (short) bytes at `i` already hold a whole header. @param {Buffer} buf @param {number} i */
  headerFits(buf, i) {
    const avail = buf.length - i;
    if (avail < 1) return false;
    const b0 = /** @type {number} */ (buf[i]);
    const fmt = b0 >> 6;
    const basic = (b0 & 0x3f) === 0 ? 2 : (b0 & 0x3f) === 1 ? 3 : 1;
    const msg = [11, 7, 3, 0][fmt] ?? 0;
    if (avail < basic + msg) return false;
    // an extended timestamp follows when the field is 0xffffff (or, for type 3, when the stream used one)
    const csid = basic === 1 ? b0 & 0x3f : 0;
    const ext = fmt <= 2 ? buf.readUIntBE(i + basic, 3) === 0xffffff : !!(csid && this.cs.get(csid)?.ext);
    return avail >= basic + msg + (ext ? 4 : 0);
  }

  /** @param {ChunkStream} st */
  onMessage(st) {
    const body = st.body ? Buffer.concat(st.body) : null;
    st.body = null;
    this.chunkLeft = 0;
    if (!body) return; // media: already counted
    switch (st.type) {
      case 1: this.inChunk = body.readUInt32BE(0) & 0x7fffffff; break;
      case 5: this.ackWindow = body.readUInt32BE(0); break;
      case 4: // user control: answer PingRequest (6) with PingResponse (7)
        if (body.readUInt16BE(0) === 6) this.send(2, 4, 0, Buffer.concat([Buffer.from([0, 7]), body.subarray(2, 6)]));
        break;
      case 20: this.onCommand(amf.decodeAll(body)); break;
      default: break;
    }
  }

  /** @param {import('./amf0').AmfValue[]} v */
  onCommand(v) {
    const [name, txn] = v;
    if (name === '_result' && txn === 1) this.command('createStream', 2, null);
    else if (name === '_result' && txn === 2) {
      this.streamId = typeof v[3] === 'number' ? v[3] : 1;
      this.command('play', 0, null, this.t.stream, -2);
    } else if (name === '_error') {
      this.close(`refused: ${JSON.stringify(v[3] ?? v).slice(0, 200)}`);
    } else if (name === 'onStatus') {
      const info = /** @type {{ code?: string, level?: string }} */ (v[3] ?? {});
      if (info.level === 'error') this.close(`refused: ${info.code}`);
    }
  }

  /** @param {string} name @param {number} txn @param {import('./amf0').AmfValue[]} args */
  command(name, txn, ...args) {
    const payload = Buffer.concat([amf.encode(name), amf.encode(txn), ...args.map((a) => amf.encode(a))]);
    const play = name === 'play';
    this.send(play ? 8 : 3, 20, play ? this.streamId : 0, payload);
  }

  /** Write one message as fmt-0 chunk then fmt-3 continuations. @param {number} csid @param {number} type @param {number} streamId @param {Buffer} payload */
  send(csid, type, streamId, payload) {
    const h = Buffer.alloc(12);
    h[0] = csid; // csid < 64 in every message we send
    h.writeUIntBE(payload.length, 4, 3);
    h[7] = type;
    h.writeUInt32LE(streamId, 8);
    /** @type {Buffer[]} */
    const parts = [h];
    for (let o = 0; o < payload.length; o += OUT_CHUNK) {
      if (o > 0) parts.push(Buffer.from([0xc0 | csid]));
      parts.push(payload.subarray(o, o + OUT_CHUNK));
    }
    this.sock?.write(Buffer.concat(parts));
  }
}

module.exports = { RtmpPlayer };

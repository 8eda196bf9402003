// A raw RTMP client for tests: handshake, chunked messages, AMF0 commands, and whatever bytes we choose to
// send (malformed on purpose). It records everything the server sends so a test can look for status codes.
import { connect, type Socket } from 'node:net';

const C1_SIZE = 1536;

/** AMF0 values we need for commands: number, string, boolean, null, plain objects. */
export type Amf0 = number | string | boolean | null | { [key: string]: Amf0 };

export function amf0(value: Amf0): Buffer {
  if (value === null) return Buffer.from([0x05]);
  if (typeof value === 'number') {
    const b = Buffer.alloc(9);
    b[0] = 0x00; // number marker, then an IEEE-754 double
    b.writeDoubleBE(value, 1);
    return b;
  }
  if (typeof value === 'boolean') return Buffer.from([0x01, value ? 1 : 0]);
  if (typeof value === 'string') return Buffer.concat([Buffer.from([0x02]), shortString(value)]);
  const parts: Buffer[] = [Buffer.from([0x03])]; // object marker, then (key, value)*, then 00 00 09
  for (const [k, v] of Object.entries(value)) parts.push(shortString(k), amf0(v));
  parts.push(Buffer.from([0x00, 0x00, 0x09]));
  return Buffer.concat(parts);
}

/** A UTF-8 string with its 16-bit length (AMF0 string body / object key). */
function shortString(s: string): Buffer {
  const body = Buffer.from(s, 'utf8');
  const len = Buffer.alloc(2);
  len.writeUInt16BE(body.length);
  return Buffer.concat([len, body]);
}

export interface RtmpMessage { csid: number; type: number; streamId: number; timestamp?: number; payload: Buffer }

/** One message as chunks: a type-0 header, then type-3 continuation headers every `chunkSize` bytes. */
export function chunkMessage(m: RtmpMessage, chunkSize: number): Buffer {
  const header = Buffer.alloc(12);
  header[0] = m.csid & 0x3f; // fmt 0, chunk stream id 2..63
  header.writeUIntBE(m.timestamp ?? 0, 1, 3);
  header.writeUIntBE(m.payload.length, 4, 3);
  header[7] = m.type;
  header.writeUInt32LE(m.streamId, 8);
  const parts: Buffer[] = [header];
  for (let off = 0; off < m.payload.length; off += chunkSize) {
    if (off > 0) parts.push(Buffer.from([0xc0 | (m.csid & 0x3f)])); // fmt 3
    parts.push(m.payload.subarray(off, off + chunkSize));
  }
  return Buffer.concat(parts);
}

export class RawRtmpClient {
  /** every byte received from the server */
  received = Buffer.alloc(0);
  readonly closed: Promise<void>;
  private chunkSize = 128;
  private txn = 1;

  private constructor(readonly socket: Socket) {
    socket.on('data', (d: Buffer) => {
      this.received = Buffer.concat([this.received, d]);
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  static open(port: number, host = '127.0.0.1'): Promise<RawRtmpClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, host, () => resolve(new RawRtmpClient(socket)));
      socket.once('error', reject);
    });
  }

  get isClosed(): boolean {
    return this.socket.destroyed || this.socket.readableEnded;
  }

  write(bytes: Buffer): void {
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  /** C0 (version 3) + C1 (zeros: the simple handshake), wait for S0+S1+S2, then C2 (echo of S1). */
  async handshake(timeoutMs = 5000): Promise<void> {
    this.write(Buffer.concat([Buffer.from([3]), Buffer.alloc(C1_SIZE)]));
    await this.waitFor(() => this.received.length >= 1 + 2 * C1_SIZE, timeoutMs, 'S0+S1+S2');
    this.write(this.received.subarray(1, 1 + C1_SIZE));
    this.received = this.received.subarray(1 + 2 * C1_SIZE);
  }

  send(m: RtmpMessage): void {
    this.write(chunkMessage(m, this.chunkSize));
  }

  /** Protocol control message 1 (Set Chunk Size); `raw` sends it without changing our own chunking. */
  setChunkSize(size: number, raw = false): void {
    const p = Buffer.alloc(4);
    p.writeUInt32BE(size >>> 0);
    this.send({ csid: 2, type: 1, streamId: 0, payload: p });
    if (!raw) this.chunkSize = size;
  }

  invoke(name: string, ...args: Amf0[]): void {
    const payload = Buffer.concat([amf0(name), amf0(this.txn++), ...args.map(amf0)]);
    this.send({ csid: 3, type: 20, streamId: 0, payload });
  }

  connectApp(tcUrl: string, app = 'live'): void {
    this.invoke('connect', { app, tcUrl, flashVer: 'FMLE/3.0', type: 'nonprivate' });
  }

  /** connect + createStream + publish/play on stream 1, the way ffmpeg does it. */
  start(kind: 'publish' | 'play', port: number, streamName: string): void {
    this.connectApp(`rtmp://127.0.0.1:${port}/live`);
    this.invoke('createStream', null);
    const payload = Buffer.concat([amf0(kind), amf0(0), amf0(null), amf0(streamName), ...(kind === 'publish' ? [amf0('live')] : [])]);
    this.send({ csid: 8, type: 20, streamId: 1, payload });
  }

  sendMedia(type: 8 | 9 | 18, payload: Buffer, timestamp = 0): void {
    this.send({ csid: type === 8 ? 4 : type === 9 ? 6 : 5, type, streamId: 1, timestamp, payload });
  }

  receivedText(): string {
    return this.received.toString('latin1');
  }

  waitForText(text: string, timeoutMs = 5000): Promise<void> {
    return this.waitFor(() => this.receivedText().includes(text), timeoutMs, JSON.stringify(text));
  }

  /** Resolves when the server closed the connection; rejects after `timeoutMs`. */
  waitForClose(timeoutMs = 5000): Promise<void> {
    return this.waitFor(() => this.isClosed, timeoutMs, 'close', this.closed);
  }

  destroy(): void {
    this.socket.destroy();
  }

  private waitFor(ok: () => boolean, timeoutMs: number, what: string, also?: Promise<void>): Promise<void> {
    return new Promise((resolve, reject) => {
      const deadline = Date.now() + timeoutMs;
      const check = () => {
        if (ok()) return resolve();
        if (Date.now() > deadline) return reject(new Error(`RTMP test client: no ${what} within ${timeoutMs} ms`));
        setTimeout(check, 20);
      };
      void also?.then(() => ok() && resolve());
      check();
    });
  }
}

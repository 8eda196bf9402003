// RTMP messages a VOD player sends, written straight to the socket: one 12-byte chunk header per message (type 0,
// a fresh buffer from Node's pool) and the tag body as the view the reader gave, split only past the chunk size.
// Also the few AMF0 values the status and data messages carry.
import type { Socket } from 'node:net';

export const CSID_CONTROL = 2;
export const CSID_COMMAND = 3;
export const CSID_AUDIO = 4;
export const CSID_VIDEO = 5;
export const CSID_DATA = 6;
export const MSG_USER_CONTROL = 4;
export const MSG_DATA = 18;
export const MSG_COMMAND = 20;
export const STREAM_BEGIN = 0;
export const STREAM_EOF = 1;
export const STREAM_IS_RECORDED = 4;

export class RtmpOut {
  /** bytes written since the play started */
  bytes = 0;

  constructor(private readonly socket: Socket, private readonly chunkSize: number) {}

  /** One message: `head` (may be null) then `body`. */
  message(csid: number, type: number, streamId: number, ts: number, head: Buffer | null, body: Buffer): void {
    const headLen = head ? head.length : 0;
    const length = headLen + body.length;
    const time = ts > 0 ? Math.floor(ts) % 0x100000000 : 0;
    const ext = time >= 0xffffff;
    const hdrLen = ext ? 16 : 12;
    if (length <= this.chunkSize) {
      const h = Buffer.allocUnsafe(hdrLen + headLen);
      writeHeader(h, csid, type, streamId, time, length, ext);
      if (head) head.copy(h, hdrLen);
      this.socket.write(h);
      if (body.length > 0) this.socket.write(body);
      this.bytes += h.length + body.length;
      return;
    }
    // rare (a big keyframe past 64 KiB): one copy so the chunk slices are plain views
    const payload = head ? Buffer.concat([head, body]) : body;
    const h = Buffer.allocUnsafe(hdrLen);
    writeHeader(h, csid, type, streamId, time, length, ext);
    this.socket.write(h);
    this.bytes += h.length;
    for (let off = 0; off < length; off += this.chunkSize) {
      if (off > 0) {
        const c = Buffer.allocUnsafe(ext ? 5 : 1);
        c[0] = 0xc0 | csid;
        if (ext) c.writeUInt32BE(time, 1);
        this.socket.write(c);
        this.bytes += c.length;
      }
      const slice = payload.subarray(off, Math.min(length, off + this.chunkSize));
      this.socket.write(slice);
      this.bytes += slice.length;
    }
  }

  userControl(event: number, streamId: number): void {
    const b = Buffer.alloc(6);
    b.writeUInt16BE(event, 0);
    b.writeUInt32BE(streamId, 2);
    this.message(CSID_CONTROL, MSG_USER_CONTROL, 0, 0, null, b);
  }

  /** onStatus(level, code, description) on the play's stream */
  status(streamId: number, level: 'status' | 'error', code: string, description: string): void {
    this.message(CSID_COMMAND, MSG_COMMAND, streamId, 0, null,
      amf0('onStatus', 0, null, { level, code, description }));
  }

  data(streamId: number, ts: number, ...values: AmfValue[]): void {
    this.message(CSID_DATA, MSG_DATA, streamId, ts, null, amf0(...values));
  }
}

function writeHeader(h: Buffer, csid: number, type: number, streamId: number, time: number, length: number, ext: boolean): void {
  h[0] = csid; // fmt 0
  h.writeUIntBE(ext ? 0xffffff : time, 1, 3);
  h.writeUIntBE(length, 4, 3);
  h[7] = type;
  h.writeUInt32LE(streamId, 8);
  if (ext) h.writeUInt32BE(time, 12);
}

export type AmfValue = number | boolean | string | null | { [k: string]: AmfValue };

/** AMF0: numbers, booleans, strings, null and plain objects (all this player sends). */
export function amf0(...values: AmfValue[]): Buffer {
  const parts: Buffer[] = [];
  const str = (s: string) => {
    const b = Buffer.from(s, 'utf8');
    const l = Buffer.alloc(2);
    l.writeUInt16BE(Math.min(b.length, 0xffff));
    parts.push(l, b.subarray(0, 0xffff));
  };
  const put = (v: AmfValue): void => {
    if (v === null) parts.push(Buffer.from([0x05]));
    else if (typeof v === 'number') {
      const b = Buffer.alloc(9);
      b.writeDoubleBE(v, 1);
      parts.push(b);
    } else if (typeof v === 'boolean') parts.push(Buffer.from([0x01, v ? 1 : 0]));
    else if (typeof v === 'string') {
      parts.push(Buffer.from([0x02]));
      str(v);
    } else {
      parts.push(Buffer.from([0x03]));
      for (const [k, x] of Object.entries(v)) {
        str(k);
        put(x);
      }
      parts.push(Buffer.from([0, 0, 0x09]));
    }
  };
  for (const v of values) put(v);
  return Buffer.concat(parts);
}

// @ts-check
// A streaming FLV tag counter: feeds on arbitrary byte chunks and counts audio/video payload bytes and the
// media timestamps reached, without copying tag bodies (300 viewers at 1.7 Mbps must stay cheap to read).
'use strict';

const FLV_HEADER = 9 + 4; // 'FLV', version, flags, header size, then PreviousTagSize0
const TAG_HEADER = 11;
const TAG_TRAILER = 4; // PreviousTagSize

class FlvReader {
  /** @param {(kind: 'audio' | 'video', bytes: number, timestampMs: number) => void} [onTag] */
  constructor(onTag) {
    this.onTag = onTag;
    /** @type {Buffer | null} bytes of an incomplete header kept from the previous chunk */
    this.partial = null;
    this.headerLeft = FLV_HEADER;
    this.skipLeft = 0; // body + trailer bytes of the current tag still to skip
    this.mediaBytes = 0;
    this.tags = 0;
    this.lastTs = -1;
    this.error = '';
  }

  /** @param {Buffer} chunk */
  push(chunk) {
    let buf = this.partial ? Buffer.concat([this.partial, chunk]) : chunk;
    this.partial = null;
    let i = 0;
    if (this.headerLeft > 0) {
      if (this.headerLeft === FLV_HEADER && buf.length >= 3 && buf.toString('latin1', 0, 3) !== 'FLV') {
        this.error = 'not an FLV stream';
      }
      const n = Math.min(this.headerLeft, buf.length);
      this.headerLeft -= n;
      i += n;
    }
    while (i < buf.length) {
      if (this.skipLeft > 0) {
        const n = Math.min(this.skipLeft, buf.length - i);
        this.skipLeft -= n;
        i += n;
        continue;
      }
      if (buf.length - i < TAG_HEADER) {
        this.partial = Buffer.from(buf.subarray(i));
        return;
      }
      const type = /** @type {number} */ (buf[i]) & 0x1f;
      const size = buf.readUIntBE(i + 1, 3);
      const ts = buf.readUIntBE(i + 4, 3) + /** @type {number} */ (buf[i + 7]) * 0x1000000;
      i += TAG_HEADER;
      this.skipLeft = size + TAG_TRAILER;
      if (type === 8 || type === 9) {
        this.mediaBytes += size;
        this.tags++;
        this.lastTs = ts;
        this.onTag?.(type === 8 ? 'audio' : 'video', size, ts);
      }
    }
  }
}

module.exports = { FlvReader };

// One segment's bytes, copied once into a buffer of its own as the muxer hands them over: the muxer's blocks are
// pooled and reused right after (releaseTsChunks), while the copy is what viewers are served from memory and
// what the disk writes are queued with.
const MIN_CAPACITY = 256 * 1024;

export class SegmentBytes {
  private buf: Buffer;
  private used = 0;

  /**
   * @param expected about how big the segment will be (the previous one's size): one allocation in the usual case
   * @param max no segment is bigger (HLS_MAX_SEGMENT_MB): the room left for growth stops there
   */
  constructor(expected: number, max = Infinity) {
    this.buf = Buffer.allocUnsafeSlow(Math.max(MIN_CAPACITY, Math.min(max, Math.ceil(expected * 1.25))));
  }

  /** Copies `chunk` in; returns the copy, which never changes afterwards (growing moves on to a new buffer). */
  append(chunk: Buffer): Buffer {
    if (this.used + chunk.length > this.buf.length) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.used + chunk.length));
      this.buf.copy(bigger, 0, 0, this.used);
      this.buf = bigger;
    }
    chunk.copy(this.buf, this.used);
    const copy = this.buf.subarray(this.used, this.used + chunk.length);
    this.used += chunk.length;
    return copy;
  }

  appendAll(chunks: readonly Buffer[]): Buffer {
    const from = this.used;
    for (const c of chunks) this.append(c);
    return this.buf.subarray(from, this.used);
  }

  get bytes(): number {
    return this.used;
  }

  /** The whole segment; a buffer much bigger than it is traded for an exact copy, so the cache holds what it counts. */
  done(): Buffer {
    if (this.buf.length - this.used > this.used / 4 && this.used > 0) return Buffer.from(this.buf.subarray(0, this.used));
    return this.buf.subarray(0, this.used);
  }
}

// Minimal MPEG-TS packet reader for assertions on muxer output (header fields, adaptation field, payload).
export interface TsPacketView {
  pid: number;
  unitStart: boolean;
  cc: number;
  /** adaptation field bytes after its length byte (flags, PCR, stuffing); null when absent */
  adaptation: Buffer | null;
  payload: Buffer;
}

/** A segment's bytes in one buffer (the pipeline hands them over as chunks). */
export function segmentBytes(seg: { chunks: readonly Buffer[] }): Buffer {
  return Buffer.concat(seg.chunks);
}

export function readTsPackets(buf: Buffer): TsPacketView[] {
  if (buf.length % 188 !== 0) throw new Error(`${buf.length} bytes is not whole TS packets`);
  const out: TsPacketView[] = [];
  for (let off = 0; off < buf.length; off += 188) {
    const p = buf.subarray(off, off + 188);
    if (p[0] !== 0x47) throw new Error(`lost sync at ${off}`);
    const ctrl = (p[3]! >> 4) & 3;
    let pos = 4;
    let adaptation: Buffer | null = null;
    if (ctrl & 2) {
      const len = p[4]!;
      adaptation = p.subarray(5, 5 + len);
      pos = 5 + len;
    }
    out.push({
      pid: ((p[1]! & 0x1f) << 8) | p[2]!,
      unitStart: (p[1]! & 0x40) !== 0,
      cc: p[3]! & 0x0f,
      adaptation,
      payload: ctrl & 1 ? p.subarray(pos) : Buffer.alloc(0),
    });
  }
  return out;
}

/** Reads the 33-bit PCR base from an adaptation field that has the PCR flag. */
export function pcrBase(adaptation: Buffer): number | null {
  if (!(adaptation[0]! & 0x10)) return null;
  return adaptation.readUInt32BE(1) * 2 + (adaptation[5]! >> 7);
}

/** Reads PTS (or DTS) from a 5-byte PES timestamp field. */
export function pesTimestamp(b: Buffer, off: number): number {
  return ((b[off]! >> 1) & 7) * 2 ** 30 + (b[off + 1]! << 22) + ((b[off + 2]! >> 1) << 15) + (b[off + 3]! << 7) + (b[off + 4]! >> 1);
}

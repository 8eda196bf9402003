// MPEG-TS → PES payloads with their times, for segments our own muxer wrote (HLS replays): PAT → PMT → the H.264
// (0x1b) and ADTS AAC (0x0f) streams; a PES ends at the next payload start of its PID or the buffer's end. Pure.
const PACKET = 188;
const SYNC = 0x47;
export const STREAM_H264 = 0x1b;
export const STREAM_AAC = 0x0f;

export interface PesUnit {
  /** 90 kHz, 33-bit as in the stream */
  pts: number;
  dts: number;
  data: Buffer;
}

export interface DemuxedTs {
  video: PesUnit[];
  audio: PesUnit[];
}

export class TsDemuxError extends Error {}

/** The 33-bit timestamp at b[off..off+5] (PES header layout). */
export function readPesTime(b: Buffer, off: number): number {
  return (((b[off]! >> 1) & 0x07) * 0x40000000) + (b[off + 1]! << 22) + ((b[off + 2]! >> 1) << 15) + (b[off + 3]! << 7) + (b[off + 4]! >> 1);
}

function parsePes(parts: Buffer[]): PesUnit | null {
  const pes = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  if (pes.length < 9 || pes[0] !== 0 || pes[1] !== 0 || pes[2] !== 1) throw new TsDemuxError('PES start code missing');
  const flags = pes[7]! >> 6;
  const headerEnd = 9 + pes[8]!;
  if ((flags & 2) === 0 || headerEnd > pes.length) return null; // no PTS: nothing we can place in time
  const pts = readPesTime(pes, 9);
  const dts = flags === 3 ? readPesTime(pes, 14) : pts;
  return { pts, dts, data: pes.subarray(headerEnd) };
}

/** Section payload (after pointer_field) of a PSI packet payload. */
function section(payload: Buffer): Buffer {
  return payload.subarray(1 + payload[0]!);
}

export function demuxTs(buf: Buffer): DemuxedTs {
  if (buf.length % PACKET !== 0) throw new TsDemuxError(`${buf.length} bytes is not a whole number of TS packets`);
  let pmtPid = -1;
  const kinds = new Map<number, 'video' | 'audio'>();
  const open = new Map<number, Buffer[]>();
  const out: DemuxedTs = { video: [], audio: [] };
  const finish = (pid: number): void => {
    const parts = open.get(pid);
    open.delete(pid);
    const unit = parts && parts.length ? parsePes(parts) : null;
    if (unit) out[kinds.get(pid)!].push(unit);
  };
  for (let off = 0; off < buf.length; off += PACKET) {
    if (buf[off] !== SYNC) throw new TsDemuxError(`no sync byte at ${off}`);
    const start = (buf[off + 1]! & 0x40) !== 0;
    const pid = ((buf[off + 1]! & 0x1f) << 8) | buf[off + 2]!;
    const afc = (buf[off + 3]! >> 4) & 3;
    if ((afc & 1) === 0) continue; // adaptation field only
    const payloadAt = off + 4 + (afc === 3 ? 1 + buf[off + 4]! : 0);
    if (payloadAt >= off + PACKET) continue;
    const payload = buf.subarray(payloadAt, off + PACKET);
    if (pid === 0 && start) {
      const s = section(payload);
      pmtPid = ((s[10]! & 0x1f) << 8) | s[11]!; // the first program's PID
    } else if (pid === pmtPid && start) {
      const s = section(payload);
      const sectionEnd = 3 + (((s[1]! & 0x0f) << 8) | s[2]!) - 4; // minus CRC
      let p = 12 + (((s[10]! & 0x0f) << 8) | s[11]!);
      while (p + 5 <= sectionEnd) {
        const type = s[p]!;
        const esPid = ((s[p + 1]! & 0x1f) << 8) | s[p + 2]!;
        if (type === STREAM_H264) kinds.set(esPid, 'video');
        else if (type === STREAM_AAC) kinds.set(esPid, 'audio');
        p += 5 + (((s[p + 3]! & 0x0f) << 8) | s[p + 4]!);
      }
    } else if (kinds.has(pid)) {
      if (start) {
        finish(pid);
        open.set(pid, [payload]);
      } else open.get(pid)?.push(payload); // continuation of a PES we saw start (else: mid-PES at the cut, dropped)
    }
  }
  for (const pid of [...open.keys()]) finish(pid);
  return out;
}

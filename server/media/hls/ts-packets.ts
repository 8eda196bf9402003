// One builder per MPEG-TS structure (ISO/IEC 13818-1), each returning bytes: PSI sections, PES headers,
// adaptation fields, packet headers. 33-bit clock values are written with arithmetic, never shifts.

export const TS_PACKET_SIZE = 188;
export const TS_HEADER_SIZE = 4;
export const TS_PAYLOAD_SIZE = TS_PACKET_SIZE - TS_HEADER_SIZE;
const SYNC_BYTE = 0x47;

export const PID_PAT = 0x0000;
export const PID_PMT = 0x1000;
export const PID_VIDEO = 0x100;
export const PID_AUDIO = 0x101;
export const STREAM_TYPE_H264 = 0x1b;
export const STREAM_TYPE_AAC_ADTS = 0x0f;
export const STREAM_ID_VIDEO = 0xe0;
export const STREAM_ID_AUDIO = 0xc0;
const PROGRAM_NUMBER = 1;
const TRANSPORT_STREAM_ID = 1;

/** PTS, DTS and PCR base are 33-bit counters of a 90 kHz clock: they wrap every ~26.5 hours. */
export const TS_CLOCK_WRAP = 2 ** 33;
/** PTS/DTS are written this far ahead of the PCR so PCR <= DTS (nginx-rtmp: 700 ms). */
export const PTS_DELAY_TICKS = 63000;

/** Maps any (possibly negative or > 2^33) tick count onto the 33-bit clock. */
export function wrap33(ticks: number): number {
  return ((ticks % TS_CLOCK_WRAP) + TS_CLOCK_WRAP) % TS_CLOCK_WRAP;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 24;
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
    t[i] = c >>> 0;
  }
  return t;
})();

/** CRC-32/MPEG-2 (polynomial 0x04C11DB7, initial 0xFFFFFFFF, not reflected, no final XOR). */
export function crc32(buf: Uint8Array, start = 0, end = buf.length): number {
  let crc = 0xffffffff;
  for (let i = start; i < end; i++) crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ buf[i]!) & 0xff]!) >>> 0;
  return crc >>> 0;
}

/** Finishes a PSI section: writes section_length into bytes 1..2 and appends the CRC. */
function psiSection(body: number[]): Buffer {
  const sectionLength = body.length - 3 + 4; // bytes after section_length, CRC included
  body[1] = 0xb0 | (sectionLength >> 8); // section_syntax_indicator 1, '0', reserved '11'
  body[2] = sectionLength & 0xff;
  const out = Buffer.alloc(body.length + 4);
  out.set(body);
  out.writeUInt32BE(crc32(out, 0, body.length), body.length);
  return out;
}

/** Program association section: one program, its PMT at PID_PMT. */
export function pat(): Buffer {
  return psiSection([
    0x00, // table_id: program_association_section
    0, 0, // section_length (filled in)
    TRANSPORT_STREAM_ID >> 8, TRANSPORT_STREAM_ID & 0xff,
    0xc1, // reserved '11', version 0, current_next_indicator 1
    0x00, 0x00, // section_number, last_section_number
    PROGRAM_NUMBER >> 8, PROGRAM_NUMBER & 0xff,
    0xe0 | (PID_PMT >> 8), PID_PMT & 0xff, // reserved '111' + program_map_PID
  ]);
}

/** Program map section: H.264 on PID_VIDEO and/or ADTS AAC on PID_AUDIO; PCR on video when present. */
export function pmt(hasVideo: boolean, hasAudio: boolean): Buffer {
  const pcrPid = hasVideo ? PID_VIDEO : PID_AUDIO;
  const body = [
    0x02, // table_id: TS_program_map_section
    0, 0, // section_length (filled in)
    PROGRAM_NUMBER >> 8, PROGRAM_NUMBER & 0xff,
    0xc1, // reserved, version 0, current_next_indicator 1
    0x00, 0x00, // section_number, last_section_number
    0xe0 | (pcrPid >> 8), pcrPid & 0xff, // reserved '111' + PCR_PID
    0xf0, 0x00, // reserved '1111' + program_info_length 0
  ];
  const stream = (type: number, pid: number): void => {
    body.push(type, 0xe0 | (pid >> 8), pid & 0xff, 0xf0, 0x00); // ES_info_length 0
  };
  if (hasVideo) stream(STREAM_TYPE_H264, PID_VIDEO);
  if (hasAudio) stream(STREAM_TYPE_AAC_ADTS, PID_AUDIO);
  return psiSection(body);
}

/** Writes the 4-byte packet header at `off`. */
export function writeTsHeader(out: Buffer, off: number, pid: number, unitStart: boolean, adaptation: boolean, cc: number): void {
  out[off] = SYNC_BYTE;
  out[off + 1] = (unitStart ? 0x40 : 0) | (pid >> 8);
  out[off + 2] = pid & 0xff;
  out[off + 3] = (adaptation ? 0x30 : 0x10) | (cc & 0x0f); // not scrambled; payload (+ adaptation field)
}

/** One whole TS packet carrying a PSI section: pointer_field 0, section, 0xFF fill. */
export function psiPacket(pid: number, section: Buffer, cc: number): Buffer {
  const out = Buffer.allocUnsafe(TS_PACKET_SIZE);
  writePsiPacket(out, 0, pid, section, cc);
  return out;
}

/** psiPacket() written at `off` of `out`. */
export function writePsiPacket(out: Buffer, off: number, pid: number, section: Buffer, cc: number): void {
  writeTsHeader(out, off, pid, true, false, cc);
  out[off + TS_HEADER_SIZE] = 0x00; // pointer_field: the section starts right here
  const end = off + TS_HEADER_SIZE + 1 + section.copy(out, off + TS_HEADER_SIZE + 1);
  out.fill(0xff, end, off + TS_PACKET_SIZE);
}

/** Writes a 5-byte PTS or DTS field with its 4-bit prefix and marker bits. */
function writeTimestamp(out: Buffer, off: number, prefix: number, ticks: number): void {
  const v = wrap33(ticks);
  const high3 = Math.floor(v / 2 ** 30); // bits 32..30
  const low30 = v % 2 ** 30; // fits in 31-bit integer arithmetic
  out[off] = (prefix << 4) | (high3 << 1) | 1;
  out[off + 1] = (low30 >> 22) & 0xff;
  out[off + 2] = (((low30 >> 15) & 0x7f) << 1) | 1;
  out[off + 3] = (low30 >> 7) & 0xff;
  out[off + 4] = ((low30 & 0x7f) << 1) | 1;
}

/**
 * PES packet header for `payloadLength` elementary-stream bytes. DTS is written only when it differs
 * from PTS. PES_packet_length is 0 ("unbounded", allowed for video) when it would not fit 16 bits.
 */
export function pesHeader(streamId: number, pts: number, dts: number | null, payloadLength: number): Buffer {
  const withDts = dts !== null && dts !== pts;
  const headerDataLength = withDts ? 10 : 5;
  const h = Buffer.allocUnsafe(9 + headerDataLength);
  h[0] = 0x00; // packet_start_code_prefix 00 00 01
  h[1] = 0x00;
  h[2] = 0x01;
  h[3] = streamId;
  const pesLength = 3 + headerDataLength + payloadLength; // bytes after PES_packet_length
  h.writeUInt16BE(pesLength > 0xffff ? 0 : pesLength, 4);
  h[6] = 0x80; // '10' marker, not scrambled, no priority, no alignment flag, no copyright, copy
  h[7] = withDts ? 0xc0 : 0x80; // PTS_DTS_flags '11' or '10', no other optional fields
  h[8] = headerDataLength;
  writeTimestamp(h, 9, withDts ? 0x3 : 0x2, pts);
  if (withDts) writeTimestamp(h, 14, 0x1, dts!);
  return h;
}

/** Bytes an adaptation field needs (length byte included) to carry these flags, before stuffing. */
export function adaptationFieldSize(pcr: boolean, randomAccess: boolean): number {
  return pcr ? 8 : randomAccess ? 2 : 0;
}

/**
 * Writes an adaptation field of exactly `size` bytes (length byte included) at `off`: flags, optional
 * PCR (base = `pcr` ticks, extension 0), then 0xFF stuffing. size 1 is the lone length byte 0.
 */
export function writeAdaptationField(out: Buffer, off: number, size: number, pcr: number | null, randomAccess: boolean): void {
  out[off] = size - 1; // adaptation_field_length
  if (size === 1) return;
  out[off + 1] = (randomAccess ? 0x40 : 0) | (pcr !== null ? 0x10 : 0);
  let w = off + 2;
  if (pcr !== null) {
    const base = wrap33(pcr);
    out[w] = Math.floor(base / 2 ** 25);
    out[w + 1] = Math.floor(base / 2 ** 17) & 0xff;
    out[w + 2] = Math.floor(base / 2 ** 9) & 0xff;
    out[w + 3] = Math.floor(base / 2) & 0xff;
    out[w + 4] = ((base % 2) << 7) | 0x7e; // last base bit, 6 reserved bits, extension bit 8 = 0
    out[w + 5] = 0x00; // extension bits 7..0
    w += 6;
  }
  out.fill(0xff, w, off + size);
}

/** Adaptation field as its own bytes (tests and callers that build packets by hand). */
export function adaptationField(size: number, pcr: number | null, randomAccess: boolean): Buffer {
  const out = Buffer.allocUnsafe(size);
  writeAdaptationField(out, 0, size, pcr, randomAccess);
  return out;
}

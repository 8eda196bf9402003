// H.264 helpers: the FLV/MP4 AVCDecoderConfigurationRecord, and AVCC (length-prefixed) → Annex-B access units.
import { CodecError } from './errors';

export interface AvcConfig {
  profile: number;
  compatibility: number;
  level: number;
  /** bytes in each NAL length prefix: lengthSizeMinusOne + 1 */
  nalLengthSize: number;
  sps: Buffer[];
  pps: Buffer[];
}

const NAL_IDR = 5;
const NAL_SPS = 7;
const NAL_PPS = 8;
const NAL_AUD = 9;

const START_CODE = Buffer.from([0x00, 0x00, 0x00, 0x01]);
/** start code + access unit delimiter with primary_pic_type 7 ("any slice type") and the RBSP stop bit */
export const AUD_NAL = Buffer.from([0x00, 0x00, 0x00, 0x01, 0x09, 0xf0]);

/** Parses an AVCDecoderConfigurationRecord (ISO/IEC 14496-15 5.2.4.1); copies the parameter sets. */
export function parseAvcConfig(rec: Buffer): AvcConfig {
  if (rec.length < 7) throw new CodecError('bad_avc_config', `AVC config record is ${rec.length} bytes`);
  if (rec[0] !== 1) throw new CodecError('bad_avc_config', `AVC config record version ${rec[0]}`);
  const nalLengthSize = (rec[4]! & 0x03) + 1;
  if (nalLengthSize === 3) throw new CodecError('bad_avc_config', 'NAL length size 3 is not allowed');
  let off = 6; // after the SPS count byte
  const readSets = (count: number): Buffer[] => {
    const sets: Buffer[] = [];
    for (let i = 0; i < count; i++) {
      if (off + 2 > rec.length) throw new CodecError('bad_avc_config', 'AVC config record truncated');
      const len = rec.readUInt16BE(off);
      off += 2;
      if (off + len > rec.length) throw new CodecError('bad_avc_config', 'AVC config record truncated');
      // copy: the record lives in a buffer node-media-server owns and may reuse
      sets.push(Buffer.from(rec.subarray(off, off + len)));
      off += len;
    }
    return sets;
  };
  const sps = readSets(rec[5]! & 0x1f);
  if (off >= rec.length) throw new CodecError('bad_avc_config', 'AVC config record has no PPS count');
  const ppsCount = rec[off]!;
  off += 1;
  const pps = readSets(ppsCount);
  return { profile: rec[1]!, compatibility: rec[2]!, level: rec[3]!, nalLengthSize, sps, pps };
}

/** RFC 6381 "avc1.PPCCLL" string for HLS CODECS attributes and stats. */
export function avcCodecString(c: AvcConfig): string {
  const hex = (n: number): string => n.toString(16).padStart(2, '0');
  return `avc1.${hex(c.profile)}${hex(c.compatibility)}${hex(c.level)}`;
}

/**
 * Converts one AVCC sample to an Annex-B access unit the way nginx-rtmp does: AUD first, in-band
 * AUD/SPS/PPS dropped, the sequence header's SPS/PPS (`parameterSets`, annexBParameterSets() of the
 * config) inserted when the unit holds an IDR (or the FLV tag says keyframe), so every segment can start
 * decoding at its first keyframe. Returns the unit as chunks: start codes and views into `sample`, no
 * payload copied. Returns null when nothing but AUD/SPS/PPS was in the sample (no picture to carry).
 */
export function avccToAnnexB(sample: Buffer, config: AvcConfig, flvKey: boolean, parameterSets = annexBParameterSets(config)): Buffer[] | null {
  const lenSize = config.nalLengthSize;
  const out: Buffer[] = [AUD_NAL];
  let idr = false;
  let off = 0;
  while (off < sample.length) {
    if (off + lenSize > sample.length) throw new CodecError('truncated_nal', 'NAL length prefix truncated');
    const len = sample.readUIntBE(off, lenSize);
    off += lenSize;
    if (off + len > sample.length) throw new CodecError('truncated_nal', `NAL unit of ${len} bytes overruns the sample`);
    if (len === 0) continue;
    const type = sample[off]! & 0x1f;
    if (type !== NAL_AUD && type !== NAL_SPS && type !== NAL_PPS) {
      if (type === NAL_IDR) idr = true;
      out.push(START_CODE, sample.subarray(off, off + len));
    }
    off += len;
  }
  if (out.length === 1) return null;
  return idr || flvKey ? withParameterSets(out, parameterSets) : out;
}

/** SPS and PPS of a config as one Annex-B run (for segments that must start without an IDR). */
export function annexBParameterSets(config: AvcConfig): Buffer {
  return Buffer.concat([...config.sps, ...config.pps].flatMap((set) => [START_CODE, set]));
}

/** The access unit (chunks starting with the AUD, as avccToAnnexB makes them) with parameter sets spliced in right after its AUD. */
export function withParameterSets(accessUnit: readonly Buffer[], sets: Buffer): Buffer[] {
  const [first, ...rest] = accessUnit;
  if (!first || first.length <= AUD_NAL.length) return [first ?? AUD_NAL, sets, ...rest];
  return [first.subarray(0, AUD_NAL.length), sets, first.subarray(AUD_NAL.length), ...rest];
}

// Small pure helpers the FLV and MP4 indexes share: frame size from an avcC, keyframe search, the FLV sequence
// header bodies an MP4's sample descriptions become.
import { spsPictureSize } from '../hls/sps';

/** Width and height from the first SPS of an AVCDecoderConfigurationRecord (0 × 0 when it does not parse). */
export function avcSize(avcc: Buffer): { width: number; height: number } {
  if (avcc.length < 8 || (avcc[5]! & 0x1f) === 0) return { width: 0, height: 0 };
  const len = avcc.readUInt16BE(6);
  const sps = avcc.subarray(8, 8 + len);
  try {
    return (sps.length === len ? spsPictureSize(sps) : null) ?? { width: 0, height: 0 };
  } catch {
    return { width: 0, height: 0 };
  }
}

/** Index of the last time <= ms in ascending `times` (0 when ms is before them all, or there are none). */
export function keyframeBefore(times: ArrayLike<number>, ms: number): number {
  let lo = 0;
  let hi = times.length - 1;
  let best = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! <= ms) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

export interface AvcRecordFields {
  AVCProfileIndication: number;
  profile_compatibility: number;
  AVCLevelIndication: number;
  lengthSizeMinusOne: number;
  SPS: { data: Uint8Array }[];
  PPS: { data: Uint8Array }[];
}

/** The FLV AVC sequence header body: VideoTagHeader (keyframe, AVC, AVCPacketType 0, CTS 0) + the avcC record. */
export function avcSequenceHeader(c: AvcRecordFields): Buffer {
  const sets = (list: { data: Uint8Array }[]) => list.map((n) => Buffer.concat([u16(n.data.length), Buffer.from(n.data)]));
  return Buffer.concat([
    Buffer.from([0x17, 0, 0, 0, 0, 1, c.AVCProfileIndication, c.profile_compatibility, c.AVCLevelIndication,
      0xfc | c.lengthSizeMinusOne, 0xe0 | c.SPS.length]),
    ...sets(c.SPS), Buffer.from([c.PPS.length]), ...sets(c.PPS),
  ]);
}

/** The FLV AAC sequence header body: AudioTagHeader (AAC, 44 kHz, 16 bit, stereo flags as FLV wants) + the config. */
export function aacSequenceHeader(asc: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([0xaf, 0]), Buffer.from(asc)]);
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

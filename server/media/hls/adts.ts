// AAC helpers: the FLV/MP4 AudioSpecificConfig, and the 7-byte ADTS header each frame needs inside MPEG-TS.
import { CodecError } from './errors';

/** ISO/IEC 14496-3 sampling frequency table (index → Hz) */
export const AAC_SAMPLE_RATES = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

export interface AacConfig {
  /** object type as signalled (5/29 = explicit SBR/PS) */
  objectType: number;
  /** ADTS profile field: the core object type minus one (AAC-LC → 1) */
  adtsProfile: number;
  /** index into AAC_SAMPLE_RATES of the core decoder's rate (what ADTS carries) */
  samplingIndex: number;
  /** output sample rate (doubled by SBR when signalled) */
  sampleRate: number;
  channels: number;
}

const ADTS_HEADER_SIZE = 7;
const MAX_ADTS_FRAME = 0x1fff; // 13-bit aac_frame_length

/** Minimal MSB-first bit reader for the few fields we need. */
class Bits {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}
  read(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++, this.pos++) {
      const byte = this.buf[this.pos >> 3];
      if (byte === undefined) throw new CodecError('bad_aac_config', 'AudioSpecificConfig truncated');
      v = v * 2 + ((byte >> (7 - (this.pos & 7))) & 1);
    }
    return v;
  }
}

function objectType(bits: Bits): number {
  const t = bits.read(5);
  return t === 31 ? 32 + bits.read(6) : t;
}

function samplingIndex(bits: Bits): number {
  const i = bits.read(4);
  // 0xf means a 24-bit explicit frequency follows, which ADTS has no field for
  if (i === 0xf) throw new CodecError('unsupported_aac', 'explicit AAC sampling frequency cannot be carried in ADTS');
  if (i >= AAC_SAMPLE_RATES.length) throw new CodecError('bad_aac_config', `reserved AAC sampling index ${i}`);
  return i;
}

/** Parses an AudioSpecificConfig (ISO/IEC 14496-3 1.6.2.1) into what ADTS needs. */
export function parseAacConfig(asc: Buffer): AacConfig {
  if (asc.length < 2) throw new CodecError('bad_aac_config', `AudioSpecificConfig is ${asc.length} bytes`);
  const bits = new Bits(asc);
  const signalled = objectType(bits);
  const coreIndex = samplingIndex(bits);
  const channels = bits.read(4);
  let outIndex = coreIndex;
  let core = signalled;
  if (signalled === 5 || signalled === 29) {
    // explicit SBR: extension rate then the core object type; ADTS carries the core (implicit SBR)
    outIndex = samplingIndex(bits);
    core = objectType(bits);
  }
  if (core < 1 || core > 4) throw new CodecError('unsupported_aac', `AAC object type ${core} has no ADTS profile`);
  // channel configuration 0 means a program config element follows, which we would have to carry in-band
  if (channels < 1 || channels > 7) throw new CodecError('unsupported_aac', `AAC channel configuration ${channels}`);
  return {
    objectType: signalled,
    adtsProfile: core - 1,
    samplingIndex: coreIndex,
    sampleRate: AAC_SAMPLE_RATES[outIndex]!,
    channels: channels === 7 ? 8 : channels,
  };
}

/** RFC 6381 "mp4a.40.N" string. */
export function aacCodecString(c: AacConfig): string {
  return `mp4a.40.${c.objectType}`;
}

/** The 7-byte ADTS header (no CRC) for one raw AAC frame of payloadLength bytes. */
export function adtsHeader(c: AacConfig, payloadLength: number): Buffer {
  const frameLength = ADTS_HEADER_SIZE + payloadLength;
  if (frameLength > MAX_ADTS_FRAME) throw new CodecError('aac_frame_too_large', `AAC frame of ${payloadLength} bytes`);
  const channelConfig = c.channels === 8 ? 7 : c.channels;
  const h = Buffer.allocUnsafe(ADTS_HEADER_SIZE);
  h[0] = 0xff; // syncword 0xFFF (high 8)
  h[1] = 0xf1; // syncword (low 4), ID 0 = MPEG-4, layer 00, protection_absent 1
  h[2] = (c.adtsProfile << 6) | (c.samplingIndex << 2) | (channelConfig >> 2); // private bit 0
  h[3] = ((channelConfig & 3) << 6) | (frameLength >> 11); // original/home/copyright bits 0
  h[4] = (frameLength >> 3) & 0xff;
  h[5] = ((frameLength & 7) << 5) | 0x1f; // buffer fullness 0x7FF = variable rate (high 5 bits)
  h[6] = 0xfc; // buffer fullness (low 6 bits), one raw data block
  return h;
}

/**
 * Length of an ADTS header that some pushers wrongly leave in front of FLV raw AAC frames (0 if none).
 * A raw frame cannot start with the 12-bit sync word and carry its own exact length by chance.
 */
export function strayAdtsHeaderLength(raw: Buffer): number {
  if (raw.length < ADTS_HEADER_SIZE || raw[0] !== 0xff || (raw[1]! & 0xf6) !== 0xf0) return 0;
  const frameLength = ((raw[3]! & 0x03) << 11) | (raw[4]! << 3) | (raw[5]! >> 5);
  if (frameLength !== raw.length) return 0;
  return raw[1]! & 0x01 ? ADTS_HEADER_SIZE : ADTS_HEADER_SIZE + 2; // protection_absent 0: 16-bit CRC follows
}

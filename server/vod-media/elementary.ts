// Elementary-stream reshaping for MP4: H.264 Annex-B access units → AVCC samples (4-byte lengths, no AUD/SPS/PPS,
// which go into the avcC), and ADTS runs → raw AAC frames (the header's fields become the AudioSpecificConfig). Pure.
import { AAC_SAMPLE_RATES } from '../media/hls/adts';

const NAL_IDR = 5;
const NAL_SPS = 7;
const NAL_PPS = 8;
const NAL_AUD = 9;

export interface AvccSample {
  data: Buffer;
  key: boolean;
  sps: Buffer | null;
  pps: Buffer | null;
}

/** NAL units of an Annex-B buffer (3- or 4-byte start codes). */
export function splitAnnexB(b: Buffer): Buffer[] {
  const nals: Buffer[] = [];
  let start = -1;
  let i = 0;
  while (i + 2 < b.length) {
    if (b[i] === 0 && b[i + 1] === 0 && b[i + 2] === 1) {
      if (start >= 0) nals.push(trimZeros(b.subarray(start, i)));
      i += 3;
      start = i;
    } else i++;
  }
  if (start >= 0 && start < b.length) nals.push(b.subarray(start));
  return nals.filter((n) => n.length > 0);
}

/** a 4-byte start code leaves its leading zero on the previous NAL */
function trimZeros(n: Buffer): Buffer {
  let end = n.length;
  while (end > 0 && n[end - 1] === 0) end--;
  return n.subarray(0, end);
}

export function accessUnitToAvcc(au: Buffer): AvccSample {
  const parts: Buffer[] = [];
  let key = false;
  let sps: Buffer | null = null;
  let pps: Buffer | null = null;
  for (const nal of splitAnnexB(au)) {
    const type = nal[0]! & 0x1f;
    if (type === NAL_SPS) sps ??= nal;
    else if (type === NAL_PPS) pps ??= nal;
    else if (type !== NAL_AUD) {
      if (type === NAL_IDR) key = true;
      const len = Buffer.allocUnsafe(4);
      len.writeUInt32BE(nal.length);
      parts.push(len, nal);
    }
  }
  return { data: Buffer.concat(parts), key, sps, pps };
}

/** AVCDecoderConfigurationRecord (ISO/IEC 14496-15 5.2.4.1) with one SPS and one PPS, 4-byte NAL lengths. */
export function avcDecoderConfig(sps: Buffer, pps: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from([1, sps[1]!, sps[2]!, sps[3]!, 0xff, 0xe1, sps.length >> 8, sps.length & 0xff]),
    sps,
    Buffer.from([1, pps.length >> 8, pps.length & 0xff]),
    pps,
  ]);
}

export interface AdtsInfo {
  /** MPEG-4 audio object type (ADTS profile + 1) */
  objectType: number;
  samplingIndex: number;
  sampleRate: number;
  channels: number;
}

/** Raw frames of a run of ADTS frames (CRC skipped) and the first header's format. */
export function splitAdts(b: Buffer): { frames: Buffer[]; info: AdtsInfo | null } {
  const frames: Buffer[] = [];
  let info: AdtsInfo | null = null;
  let off = 0;
  while (off + 7 <= b.length) {
    if (b[off] !== 0xff || (b[off + 1]! & 0xf6) !== 0xf0) break; // lost sync: the rest of the PES is not ADTS
    const headerLength = b[off + 1]! & 1 ? 7 : 9;
    const frameLength = ((b[off + 3]! & 0x03) << 11) | (b[off + 4]! << 3) | (b[off + 5]! >> 5);
    if (frameLength < headerLength || off + frameLength > b.length) break;
    const samplingIndex = (b[off + 2]! >> 2) & 0x0f;
    info ??= {
      objectType: (b[off + 2]! >> 6) + 1,
      samplingIndex,
      sampleRate: AAC_SAMPLE_RATES[samplingIndex] ?? 44100,
      channels: ((b[off + 2]! & 1) << 2) | (b[off + 3]! >> 6),
    };
    frames.push(b.subarray(off + headerLength, off + frameLength));
    off += frameLength;
  }
  return { frames, info };
}

/** The 2-byte AudioSpecificConfig of an ADTS stream. */
export function audioSpecificConfig(i: AdtsInfo): Buffer {
  return Buffer.from([(i.objectType << 3) | (i.samplingIndex >> 1), ((i.samplingIndex & 1) << 7) | (i.channels << 3)]);
}

/** One MPEG-4 descriptor: tag, a 4-byte size (the form ffmpeg and GPAC write), payload. */
function descriptor(tag: number, payload: Buffer): Buffer {
  const n = payload.length;
  return Buffer.concat([Buffer.from([tag, 0x80 | ((n >> 21) & 0x7f), 0x80 | ((n >> 14) & 0x7f), 0x80 | ((n >> 7) & 0x7f), n & 0x7f]), payload]);
}

/** The ES_Descriptor an esds box carries (after its version/flags) for AAC with this AudioSpecificConfig (ISO/IEC 14496-1 7.2.6.5). */
export function esDescriptor(asc: Buffer, trackId: number, avgBitrate = 0): Buffer {
  const decoderConfig = Buffer.alloc(13);
  decoderConfig[0] = 0x40; // objectTypeIndication: MPEG-4 Audio
  decoderConfig[1] = (0x05 << 2) | 1; // streamType audio, upStream 0, reserved 1
  decoderConfig.writeUInt32BE(avgBitrate, 5); // maxBitrate (bufferSizeDB stays 0)
  decoderConfig.writeUInt32BE(avgBitrate, 9);
  const es = Buffer.concat([
    Buffer.from([trackId >> 8, trackId & 0xff, 0]), // ES_ID, no flags
    descriptor(0x04, Buffer.concat([decoderConfig, descriptor(0x05, asc)])),
    descriptor(0x06, Buffer.from([0x02])), // SLConfigDescriptor: predefined MP4
  ]);
  return descriptor(0x03, es);
}

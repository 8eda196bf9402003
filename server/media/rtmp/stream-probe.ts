// Reads codec facts (names, picture size, frame rate, sample rate, channels) from a stream's FLV tags.
import { FLV_TAG_AUDIO as TAG_AUDIO, FLV_TAG_HEADER_SIZE as TAG_HEADER, FLV_TAG_VIDEO as TAG_VIDEO, flvTagBodySize, flvTagTimestamp } from '../flv/tag-header';
import { parseH264Sps } from './nms';
import type { TagTap } from './types';

export interface VideoFacts { codec: string; width: number; height: number; fps: number }
export interface AudioFacts { codec: string; sampleRate: number; channels: number }

/** video timestamps kept for the frame-rate estimate */
const FPS_WINDOW = 50;
/** where a tag's body starts */
const B = TAG_HEADER;

const AAC_RATES = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];
const FLV_RATES = [5512, 11025, 22050, 44100];
const AUDIO_CODECS: Record<number, string> = { 2: 'MP3', 7: 'G711A', 8: 'G711U', 10: 'AAC', 11: 'Speex', 14: 'MP3' };
const VIDEO_CODECS: Record<number, string> = { 2: 'H263', 4: 'VP6', 7: 'H264', 12: 'H265' };
const VIDEO_FOURCC: Record<string, string> = { hvc1: 'H265', av01: 'AV1', vp09: 'VP9', avc1: 'H264' };

export class StreamProbe implements TagTap {
  video: VideoFacts | null = null;
  audio: AudioFacts | null = null;
  private readonly videoDts: number[] = [];

  /** Reads the body in place (offsets into the tag): this runs for every tag of every publisher. */
  onTag(tag: Buffer): void {
    if (tag.length < TAG_HEADER + 1 || (tag[0] !== TAG_AUDIO && tag[0] !== TAG_VIDEO)) return;
    const size = flvTagBodySize(tag);
    if (size === 0) return; // (a tag of 12 bytes or more then has at least one body byte)
    // the body is tag[B .. end): a declared size past the buffer's end reads as the bytes there are
    const end = Math.min(tag.length, TAG_HEADER + size);
    if (tag[0] === TAG_AUDIO) this.onAudio(tag, end);
    else this.onVideo(tag, end, flvTagTimestamp(tag));
  }

  /** Frames per second from recent video timestamps (0 until a few frames arrived). */
  get fps(): number {
    const n = this.videoDts.length;
    if (n < 3) return 0;
    const span = this.videoDts[n - 1]! - this.videoDts[0]!;
    return span > 0 ? Math.round(((n - 1) * 1000 * 100) / span) / 100 : 0;
  }

  private onAudio(tag: Buffer, end: number): void {
    const b0 = tag[B]!;
    const format = b0 >> 4;
    const codec = AUDIO_CODECS[format] ?? `flv-audio-${format}`;
    if (format === 10) {
      // AAC: the AudioSpecificConfig in the sequence header is the truth; the FLV rate bits always say 44.1k
      if (tag[B + 1] === 0 && end - B >= 4) {
        const rateIndex = ((tag[B + 2]! & 0x07) << 1) | (tag[B + 3]! >> 7);
        this.audio = { codec, sampleRate: AAC_RATES[rateIndex] ?? 0, channels: (tag[B + 3]! >> 3) & 0x0f };
      }
      return;
    }
    if (!this.audio) this.audio = { codec, sampleRate: FLV_RATES[(b0 >> 2) & 0x03]!, channels: (b0 & 1) + 1 };
  }

  private onVideo(tag: Buffer, end: number, dts: number): void {
    const b0 = tag[B]!;
    const exHeader = (b0 & 0x80) !== 0;
    const codec = exHeader
      ? (VIDEO_FOURCC[tag.toString('latin1', B + 1, Math.min(end, B + 5))] ?? 'unknown')
      : (VIDEO_CODECS[b0 & 0x0f] ?? `flv-video-${b0 & 0x0f}`);
    const isSeqHeader = exHeader ? (b0 & 0x0f) === 0 : tag[B + 1] === 0 && end > B + 1;
    if (isSeqHeader) {
      const size = codec === 'H264' && !exHeader ? avcPictureSize(tag.subarray(B, end)) : null;
      this.video = { codec, width: size?.width ?? 0, height: size?.height ?? 0, fps: 0 };
      return;
    }
    if (!this.video) this.video = { codec, width: 0, height: 0, fps: 0 };
    this.videoDts.push(dts);
    if (this.videoDts.length > FPS_WINDOW) this.videoDts.shift();
  }
}

/** Width and height from the first SPS of an AVC sequence header (AVCDecoderConfigurationRecord at byte 5). */
export function avcPictureSize(body: Buffer): { width: number; height: number } | null {
  // 5: FLV video header; +5: version, profile, compat, level, lengthSize; +1: SPS count; +2: SPS length
  if (body.length < 13 || (body[10]! & 0x1f) === 0) return null;
  const spsLength = body.readUInt16BE(11);
  if (body.length < 13 + spsLength) return null;
  return parseH264Sps(body.subarray(13, 13 + spsLength));
}

// FlvDemuxer: FLV tags in, H.264 Annex-B / AAC ADTS samples with 90 kHz timestamps out (stateful, no I/O).
import { aacCodecString, adtsHeader, parseAacConfig, strayAdtsHeaderLength, type AacConfig } from './adts';
import { annexBParameterSets, avcCodecString, avccToAnnexB, parseAvcConfig, type AvcConfig } from './avc';
import { CodecError, FlvParseError } from './errors';
import { spsPictureSize } from './sps';
import { FLV_TAG_AUDIO, FLV_TAG_VIDEO } from './types';
import type { DemuxResult, FlvTag, MediaSample, StreamConfig, StreamInfo } from './types';

/** FLV timestamps are milliseconds; MPEG-TS counts a 90 kHz clock. */
export const TICKS_PER_MS = 90;

const CODEC_AVC = 7;
const CODEC_HEVC_NMS = 12; // HEVC as node-media-server / Chinese CDNs signal it in legacy FLV
const SOUND_AAC = 10;
const FRAME_KEY = 1;
const FRAME_COMMAND = 5;
const AVC_SEQUENCE_HEADER = 0;
const AVC_NALU = 1;
const AAC_SEQUENCE_HEADER = 0;
const AAC_RAW = 1;

const NO_SAMPLES: readonly MediaSample[] = Object.freeze([]);
/** most tags that carry no frame change nothing either: one shared answer, no allocation */
const NOTHING: DemuxResult = Object.freeze({ samples: NO_SAMPLES, config: null });

export class FlvDemuxer {
  private avc: AvcConfig | null = null;
  private aac: AacConfig | null = null;
  private avcRecord: Buffer | null = null;
  /** the config's SPS/PPS in Annex-B form, built once per config */
  private avcSets: Buffer | null = null;
  private aacRecord: Buffer | null = null;
  private streamInfo: StreamInfo = { video: null, audio: null, unsupported: [] };

  /** Codec details and refused tracks so far (a fresh object whenever it changes). */
  get info(): StreamInfo {
    return this.streamInfo;
  }

  /**
   * Forget codec configs: the next publisher's sequence headers decide everything again. Returns the config now
   * in use (no tracks, no parameter sets).
   */
  reset(): StreamConfig {
    this.avc = null;
    this.aac = null;
    this.avcRecord = null;
    this.avcSets = null;
    this.aacRecord = null;
    this.streamInfo = { video: null, audio: null, unsupported: [] };
    return this.config();
  }

  /**
   * One tag in: zero or one sample out, and `config` when a sequence header brought codec parameters different
   * from the ones in use (pushers resend identical headers; WeChat's live-pusher changes resolution mid-stream
   * with a new one). Throws FlvParseError / CodecError for malformed bodies (the caller drops the tag and counts
   * it); unsupported codecs are recorded in `info` and ignored.
   */
  push(tag: FlvTag): DemuxResult {
    if (tag.body.length === 0) return NOTHING; // NMS forwards empty tags from some pushers: nothing to carry
    if (tag.type === FLV_TAG_VIDEO) return this.video(tag);
    if (tag.type === FLV_TAG_AUDIO) return this.audio(tag);
    return NOTHING; // script data (onMetaData): codec facts come from the sequence headers instead
  }

  /** The tracks that produce samples (a track counts once its sequence header is understood) and the SPS/PPS. */
  private config(): StreamConfig {
    return { tracks: { video: this.avc !== null, audio: this.aac !== null }, parameterSets: this.avcSets };
  }

  private changed(): DemuxResult {
    return { samples: NO_SAMPLES, config: this.config() };
  }

  private video(tag: FlvTag): DemuxResult {
    const body = tag.body;
    const b0 = body[0]!;
    if (b0 & 0x80) {
      // enhanced RTMP (ExVideoTagHeader): a FourCC such as hvc1/av01 follows
      this.refuse(`video codec ${body.toString('latin1', 1, 5)} (enhanced RTMP) is not supported`);
      return NOTHING;
    }
    const frameType = b0 >> 4;
    const codec = b0 & 0x0f;
    if (frameType === FRAME_COMMAND) return NOTHING;
    if (codec !== CODEC_AVC) {
      this.refuse(codec === CODEC_HEVC_NMS ? 'video codec HEVC is not supported' : `video codec id ${codec} is not supported`);
      return NOTHING;
    }
    if (body.length < 5) throw new FlvParseError('truncated', `AVC tag body is ${body.length} bytes`);
    const packetType = body[1]!;
    if (packetType === AVC_SEQUENCE_HEADER) {
      const record = body.subarray(5);
      if (this.avcRecord?.equals(record)) return NOTHING; // a resend: nothing changes (set only with a config in use)
      this.setAvc(parseAvcConfig(record));
      this.avcRecord = Buffer.from(record);
      return this.changed();
    }
    if (packetType !== AVC_NALU || !this.avc) return NOTHING; // end of sequence, or frames before any config
    // composition time is a SIGNED 24-bit offset (NMS reads it unsigned; B-frame pushers send negatives)
    const cts = body.readIntBE(2, 3);
    const key = frameType === FRAME_KEY;
    const chunks = avccToAnnexB(body.subarray(5), this.avc, key, this.avcSets!);
    if (!chunks) return NOTHING;
    const dts = tag.timestamp * TICKS_PER_MS;
    return { samples: [{ kind: 'video', dts, pts: dts + cts * TICKS_PER_MS, key, chunks }], config: null };
  }

  private audio(tag: FlvTag): DemuxResult {
    const body = tag.body;
    const format = body[0]! >> 4;
    if (format !== SOUND_AAC) {
      this.refuse(`audio format ${format} is not supported (AAC only)`);
      return NOTHING;
    }
    if (body.length < 2) throw new FlvParseError('truncated', `AAC tag body is ${body.length} bytes`);
    const packetType = body[1]!;
    if (packetType === AAC_SEQUENCE_HEADER) {
      const record = body.subarray(2);
      // a resend, of the config in use or of one refused: nothing changes (a bump would cut a discontinuity)
      if (this.aacRecord?.equals(record)) return NOTHING;
      this.setAac(record);
      this.aacRecord = Buffer.from(record);
      return this.changed();
    }
    if (packetType !== AAC_RAW || !this.aac) return NOTHING;
    let raw = body.subarray(2);
    const stray = strayAdtsHeaderLength(raw); // never two ADTS headers on one frame
    if (stray > 0) raw = raw.subarray(stray); // (no second view per frame when there is none)
    if (raw.length === 0) return NOTHING; // an empty frame, or a stray header and nothing else
    const ts = tag.timestamp * TICKS_PER_MS;
    return { samples: [{ kind: 'audio', dts: ts, pts: ts, chunks: [adtsHeader(this.aac, raw.length), raw] }], config: null };
  }

  private setAvc(config: AvcConfig): void {
    this.avc = config;
    this.avcSets = annexBParameterSets(config);
    const size = config.sps[0] ? spsPictureSize(config.sps[0]) : null;
    this.streamInfo = {
      ...this.streamInfo,
      video: {
        codec: 'avc',
        codecString: avcCodecString(config),
        profile: config.profile,
        compatibility: config.compatibility,
        level: config.level,
        nalLengthSize: config.nalLengthSize,
        width: size?.width ?? null,
        height: size?.height ?? null,
      },
    };
  }

  private setAac(asc: Buffer): void {
    let config: AacConfig;
    try {
      config = parseAacConfig(asc);
    } catch (err) {
      if (err instanceof CodecError && err.code === 'unsupported_aac') {
        this.aac = null;
        this.refuse(err.message);
        return;
      }
      throw err;
    }
    this.aac = config;
    this.streamInfo = {
      ...this.streamInfo,
      audio: {
        codec: 'aac',
        codecString: aacCodecString(config),
        objectType: config.objectType,
        sampleRate: config.sampleRate,
        channels: config.channels,
      },
    };
  }

  private refuse(reason: string): void {
    if (this.streamInfo.unsupported.includes(reason)) return;
    this.streamInfo = { ...this.streamInfo, unsupported: [...this.streamInfo.unsupported, reason] };
  }
}

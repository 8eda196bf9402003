// Plain shapes passed between the HLS stages (FLV tag → media samples → MPEG-TS segments).

/** FLV tag types (the low 5 bits of a tag header's first byte). */
export const FLV_TAG_AUDIO = 8;
export const FLV_TAG_VIDEO = 9;
export const FLV_TAG_SCRIPT = 18;

/** One FLV tag as node-media-server hands it to a subscriber, header parsed, body not yet. */
export interface FlvTag {
  /** 8 audio, 9 video, 18 script data; anything else is passed through and ignored downstream */
  type: number;
  /** milliseconds, 32 bits (24-bit timestamp + 8-bit extension) */
  timestamp: number;
  /** the tag body, a view into the caller's buffer (never mutated) */
  body: Buffer;
}

/**
 * One H.264 access unit in Annex-B form: AUD first, SPS/PPS before each IDR. Times in 90 kHz ticks.
 * `chunks` are its bytes back to back, mostly views into the FLV tag it came from (no copy until muxed).
 */
export interface VideoSample {
  kind: 'video';
  dts: number;
  pts: number;
  key: boolean;
  chunks: readonly Buffer[];
}

/** One AAC frame: its 7-byte ADTS header, then the raw frame (a view into the FLV tag). Times in 90 kHz ticks. */
export interface AudioSample {
  kind: 'audio';
  dts: number;
  pts: number;
  chunks: readonly Buffer[];
}

export type MediaSample = VideoSample | AudioSample;

/** The sample with its bytes copied into one buffer of its own: for one kept after the tag it points into is reused. */
export function ownedSample<S extends MediaSample>(s: S): S {
  return { ...s, chunks: [Buffer.concat(s.chunks)] };
}

/** Which elementary streams a segment carries (decides the PMT and where cuts may happen). */
export interface TrackSet {
  video: boolean;
  audio: boolean;
}

/** The codec config in use after a sequence header changed it: the tracks that carry samples and the SPS/PPS. */
export interface StreamConfig {
  tracks: TrackSet;
  /** the SPS/PPS in Annex-B form, for a segment that must start without a keyframe (null without AVC) */
  parameterSets: Buffer | null;
}

/** What one FLV tag gave: its samples (zero or one), and the new codec config if the tag changed it. */
export interface DemuxResult {
  samples: readonly MediaSample[];
  config: StreamConfig | null;
}

/**
 * Full ~64 KiB blocks of the open segment muxed since the last take: its caller copies (or writes) them, then
 * gives them back with releaseTsChunks() so the next packets reuse them. A CompletedSegment's `chunks` hold only
 * what was not taken this way; its `bytes` count everything.
 */
export interface FullBlocks {
  /** the segment they belong to */
  index: number;
  blocks: readonly Buffer[];
}

export interface VideoTrackInfo {
  codec: 'avc';
  /** RFC 6381 codec string, e.g. "avc1.64001f" */
  codecString: string;
  profile: number;
  compatibility: number;
  level: number;
  /** bytes in each NAL unit length prefix (1, 2 or 4) */
  nalLengthSize: number;
  width: number | null;
  height: number | null;
}

export interface AudioTrackInfo {
  codec: 'aac';
  /** RFC 6381 codec string, e.g. "mp4a.40.2" */
  codecString: string;
  /** MPEG-4 audio object type as signalled (2 = AAC-LC, 5 = HE-AAC…) */
  objectType: number;
  sampleRate: number;
  channels: number;
}

/** What the demuxer knows about the stream so far. */
export interface StreamInfo {
  video: VideoTrackInfo | null;
  audio: AudioTrackInfo | null;
  /** human sentences for tracks we saw but cannot carry (e.g. HEVC video); they are dropped */
  unsupported: string[];
}

/** A finished MPEG-TS segment, ready to be written as `<index>.ts`. */
export interface CompletedSegment {
  index: number;
  durationS: number;
  /** the segment's bytes, back to back (pooled blocks: releaseTsChunks() them once written) */
  chunks: readonly Buffer[];
  bytes: number;
  /** the player must reset its decoder/timeline before this segment (#EXT-X-DISCONTINUITY) */
  discontinuity: boolean;
  /** 90 kHz DTS of the first sample (unwrapped, as the demuxer produced it) */
  startDts: number;
  /** the segment starts with a video keyframe (false only for forced cuts or audio-only streams) */
  firstKeyframe: boolean;
}

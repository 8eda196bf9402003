// What a Segmenter is told (SegmenterOptions) and the bounds it derives from it, defaults applied and checked.
import { SEGMENT_START_BYTES } from './open-segment';
import type { TrackSet } from './types';

export interface SegmenterOptions {
  /** target segment length in seconds (HLS_FRAGMENT_S) */
  fragmentS: number;
  /** a segment with no cut point is forced closed at fragmentS × this (nginx hls_max_fragment) */
  maxFragmentFactor?: number;
  /** index of the first segment (continue numbering after a restart) */
  firstIndex?: number;
  /** tracks before the first setTracks() */
  tracks?: TrackSet;
  /** see TsMuxerOptions */
  audioPesMaxTicks?: number;
  /** a segment is cut before it would grow past this many bytes (HLS_MAX_SEGMENT_MB); a bigger single frame is refused */
  maxSegmentBytes?: number;
  /** a hold (a cut keyframe waiting for audio) ends early once it holds this many frames… */
  maxHeldSamples?: number;
  /** …or this many bytes (default: maxSegmentBytes / 4) */
  maxHeldBytes?: number;
  /** a track whose DTS stops advancing for this many frames in a row forces a cut */
  maxStalledSamples?: number;
}

export const DEFAULT_MAX_SEGMENT_BYTES = 6 * 1024 * 1024;
const DEFAULT_MAX_HELD_SAMPLES = 256;
const DEFAULT_MAX_STALLED_SAMPLES = 64;

export const TICKS_PER_S = 90000;
/** a timestamp step larger than this (90 kHz) is a jump, not jitter */
export const JUMP_TICKS = TICKS_PER_S;

export interface SegmenterLimits {
  fragmentTicks: number;
  /** forced cut */
  maxTicks: number;
  /** a forward DTS step larger than this is a jump */
  forwardJumpTicks: number;
  maxSegmentBytes: number;
  maxHeldSamples: number;
  maxHeldBytes: number;
  maxStalledSamples: number;
}

/** The bounds of `opts` in 90 kHz ticks and bytes; throws RangeError for a fragment or segment size that cannot work. */
export function segmenterLimits(opts: SegmenterOptions): SegmenterLimits {
  if (!(opts.fragmentS > 0)) throw new RangeError('fragmentS must be > 0');
  const fragmentTicks = Math.round(opts.fragmentS * TICKS_PER_S);
  const maxSegmentBytes = opts.maxSegmentBytes ?? DEFAULT_MAX_SEGMENT_BYTES;
  if (!(maxSegmentBytes > SEGMENT_START_BYTES)) throw new RangeError('maxSegmentBytes must be > 376');
  return {
    fragmentTicks,
    maxTicks: fragmentTicks * (opts.maxFragmentFactor ?? 10),
    // a 1 fps slideshow has 1 s gaps that are not jumps
    forwardJumpTicks: Math.max(fragmentTicks, 2 * JUMP_TICKS),
    maxSegmentBytes,
    maxHeldSamples: opts.maxHeldSamples ?? DEFAULT_MAX_HELD_SAMPLES,
    maxHeldBytes: opts.maxHeldBytes ?? Math.floor(maxSegmentBytes / 4),
    maxStalledSamples: opts.maxStalledSamples ?? DEFAULT_MAX_STALLED_SAMPLES,
  };
}

// The segment the Segmenter is filling: its timing and size bounds, kept as samples are appended. Pure helpers.
import type { MediaSample } from './types';

const TS_PACKET = 188;
/** PAT + PMT at the start of every segment */
export const SEGMENT_START_BYTES = 2 * TS_PACKET;

/** At least the TS bytes a sample's PES takes: payload plus PES header and adaptation field, in 184-byte packet payloads. */
export function tsBytesOf(sample: MediaSample): number {
  let payload = 0;
  for (const c of sample.chunks) payload += c.length;
  return Math.ceil((payload + 64) / 184) * TS_PACKET;
}

export interface OpenSegment {
  index: number;
  startDts: number;
  /** PTS of the first sample: durations run from one segment's start PTS to the next one's */
  startPts: number;
  /**
   * audio presented before this is dropped: a stream's first segment starts its audio with its first
   * picture. After a cut, late audio is kept instead (the previous segment is gone, losing it would be a gap)
   */
  audioFromPts: number;
  discontinuity: boolean;
  firstKeyframe: boolean;
  /** no video written yet: the first access unit must carry SPS/PPS (a forced cut has no IDR to bring them) */
  needsParameterSets: boolean;
  maxDts: number;
  /** earliest presentation time in the segment (B-frames and audio can start before the keyframe's PTS) */
  minPts: number;
  /** furthest presentation end seen: max over samples of pts + frame duration */
  endTicks: number;
  /** upper bound of the bytes written so far (tsBytesOf each sample, gathered audio included) */
  bytes: number;
}

/** A segment opened by `first` (whose samples are appended next). `fresh`: a stream's first, not a cut's successor. */
export function openSegment(index: number, first: MediaSample, fresh: boolean, discontinuity: boolean): OpenSegment {
  return {
    index,
    startDts: first.dts,
    startPts: first.pts,
    audioFromPts: fresh && first.kind === 'video' ? first.pts : -Infinity,
    discontinuity,
    firstKeyframe: first.kind === 'video' && first.key,
    needsParameterSets: true,
    maxDts: first.dts,
    minPts: first.pts,
    endTicks: first.pts,
    bytes: SEGMENT_START_BYTES,
  };
}

/** Counts a sample just muxed into the segment: `bytes` as tsBytesOf() gave them, `frameTicks` its track's frame duration. */
export function extendSegment(open: OpenSegment, sample: MediaSample, bytes: number, frameTicks: number): void {
  open.bytes += bytes;
  if (sample.dts > open.maxDts) open.maxDts = sample.dts;
  if (sample.pts < open.minPts) open.minPts = sample.pts;
  const end = sample.pts + frameTicks;
  if (end > open.endTicks) open.endTicks = end;
}

/** A segment with no successor to measure against: its presentation span, as ffprobe would measure it. */
export function contentTicks(open: OpenSegment): number {
  return open.endTicks - open.minPts;
}

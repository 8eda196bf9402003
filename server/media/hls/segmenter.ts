// Segmenter: cuts the sample stream into MPEG-TS segments the way nginx-rtmp's HLS module does
// (keyframe cuts once hls_fragment is reached, forced cuts at 10×, timestamp jumps), with bounds that hold
// whatever the publisher's timestamps say: held frames, segment bytes, stalled clocks. Pure state, no I/O.
import { withParameterSets } from './avc';
import { HlsInputError } from './errors';
import { releaseTsChunks } from './ts-blocks';
import { TsMuxer } from './ts-muxer';
import type { CompletedSegment, MediaSample, TrackSet } from './types';

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
  /**
   * Takes the open segment's bytes as they are produced, a ~64 KiB block at a time, so a segment need
   * not sit in memory until its cut. The block is only valid during the call, and the callback must not
   * throw. A CompletedSegment's `chunks` then hold only the rest; its `bytes` still count everything.
   */
  spill?: (segmentIndex: number, bytes: Buffer) => void;
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

const TICKS_PER_S = 90000;
/** a timestamp step larger than this (90 kHz) is a jump, not jitter */
const JUMP_TICKS = TICKS_PER_S;
const DEFAULT_VIDEO_FRAME_TICKS = 3600; // 25 fps, until two frames tell us better
const DEFAULT_AUDIO_FRAME_TICKS = 1920; // 1024 samples at 48 kHz
/** stop waiting for audio to reach a held keyframe's PTS once video is this far past it (audio stalled) */
const HOLD_SLACK_TICKS = 45000;
const TS_PACKET = 188;
/** PAT + PMT at the start of every segment */
const SEGMENT_START_BYTES = 2 * TS_PACKET;

/** At least the TS bytes a sample's PES takes: payload plus PES header and adaptation field, in 184-byte packet payloads. */
export function tsBytesOf(sample: MediaSample): number {
  let payload = 0;
  for (const c of sample.chunks) payload += c.length;
  return Math.ceil((payload + 64) / 184) * TS_PACKET;
}

interface OpenSegment {
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

export class Segmenter {
  private readonly fragmentTicks: number;
  private readonly maxTicks: number;
  private readonly forwardJumpTicks: number;
  private readonly muxer: TsMuxer;
  private tracks: TrackSet;
  private pendingTracks: TrackSet | null = null;
  private open: OpenSegment | null = null;
  private nextIndex: number;
  private producedAny = false;
  /** highest DTS of the last closed segment: a stream resuming after flush() may have a new clock */
  private closedMaxDts: number | null = null;
  private nextDiscontinuity = false;
  /** a cut keyframe (and the video after it) waiting for the audio to catch up with its PTS */
  private held: MediaSample[] = [];
  private heldBytes = 0;
  private holdUntilPts = 0;
  private readonly maxSegmentBytes: number;
  private readonly maxHeldSamples: number;
  private readonly maxHeldBytes: number;
  private readonly maxStalledSamples: number;
  /** frames in a row, per track, whose DTS did not pass the track's previous one (reset by every cut) */
  private videoStalled = 0;
  private audioStalled = 0;
  /** suspend(): no segment opens until resume() */
  private suspended = false;
  private lastVideoDts: number | null = null;
  private videoFrameTicks = DEFAULT_VIDEO_FRAME_TICKS;
  private lastAudioDts: number | null = null;
  private audioFrameTicks = DEFAULT_AUDIO_FRAME_TICKS;
  private parameterSets: Buffer | null = null;

  constructor(opts: SegmenterOptions) {
    if (!(opts.fragmentS > 0)) throw new RangeError('fragmentS must be > 0');
    this.fragmentTicks = Math.round(opts.fragmentS * TICKS_PER_S);
    this.maxTicks = this.fragmentTicks * (opts.maxFragmentFactor ?? 10);
    // a 1 fps slideshow has 1 s gaps that are not jumps
    this.forwardJumpTicks = Math.max(this.fragmentTicks, 2 * JUMP_TICKS);
    this.nextIndex = opts.firstIndex ?? 0;
    this.tracks = { ...(opts.tracks ?? { video: true, audio: true }) };
    this.maxSegmentBytes = opts.maxSegmentBytes ?? DEFAULT_MAX_SEGMENT_BYTES;
    this.maxHeldSamples = opts.maxHeldSamples ?? DEFAULT_MAX_HELD_SAMPLES;
    this.maxHeldBytes = opts.maxHeldBytes ?? Math.floor(this.maxSegmentBytes / 4);
    this.maxStalledSamples = opts.maxStalledSamples ?? DEFAULT_MAX_STALLED_SAMPLES;
    if (!(this.maxSegmentBytes > SEGMENT_START_BYTES)) throw new RangeError('maxSegmentBytes must be > 376');
    const spill = opts.spill;
    // TsBlocks starts a fresh block at every cut, so a full block is always the open segment's (or, while
    // startSegment() writes PAT/PMT, the one about to open)
    this.muxer = new TsMuxer({
      audioPesMaxTicks: opts.audioPesMaxTicks,
      spill: spill && ((bytes) => spill(this.open?.index ?? this.nextIndex, bytes)),
    });
  }

  /** Declares which tracks the stream carries; a change while a segment is open cuts at the next chance. */
  setTracks(tracks: TrackSet): void {
    const cur = this.pendingTracks ?? this.tracks;
    if (cur.video === tracks.video && cur.audio === tracks.audio) return;
    if (this.open) this.pendingTracks = { ...tracks };
    else this.tracks = { ...tracks };
  }

  /**
   * Codec parameters changed mid-stream (e.g. a new resolution): cut at the next cut point and flag
   * the next segment as a discontinuity, so players re-initialise their decoder there.
   */
  reconfigure(): void {
    if (this.open) this.pendingTracks = { ...(this.pendingTracks ?? this.tracks) };
    else if (this.producedAny) this.nextDiscontinuity = true;
  }

  /**
   * The stream's SPS/PPS in Annex-B form (FlvDemuxer.videoParameterSets). A segment that starts
   * without a keyframe gets them in its first access unit, so a player can at least set up its decoder.
   */
  setVideoParameterSets(sets: Buffer | null): void {
    this.parameterSets = sets;
  }

  /** Index the next segment will get. */
  get upcomingIndex(): number {
    return this.nextIndex;
  }

  /** Feeds one sample; returns the segments it completed (zero or one; an array so callers need no null check). */
  push(sample: MediaSample): CompletedSegment[] {
    const size = tsBytesOf(sample);
    if (size > this.maxSegmentBytes - SEGMENT_START_BYTES) {
      throw new HlsInputError('frame_too_large', `a ${sample.kind} frame of ${size} TS bytes does not fit in a segment of ${this.maxSegmentBytes}`);
    }
    const done: CompletedSegment[] = [];
    this.trackFrameDuration(sample);
    if (this.suspended) return done;
    if (this.held.length > 0) {
      if (this.isJump(sample)) {
        if (this.fits(this.heldBytes)) this.appendHeld();
        else done.push(this.release());
      } else if (sample.kind === 'audio' && sample.pts < this.holdUntilPts && this.fits(size)) {
        this.append(sample); // still before the keyframe's picture: belongs to the old segment
        return done;
      } else if (sample.kind === 'video' && sample.dts <= this.holdUntilPts + HOLD_SLACK_TICKS && this.canHold(size)) {
        this.held.push(sample);
        this.heldBytes += size;
        return done;
      } else done.push(this.release()); // audio caught up, stalled, or the hold is full
    }
    const open = this.open;
    if (open) {
      const elapsed = sample.dts - open.startDts;
      if (this.isJump(sample)) {
        // the clock broke: end the segment at its own content, and tell players to reset their timeline
        done.push(this.close(this.contentTicks(open)));
        this.nextDiscontinuity = true;
      } else if (this.isCutPoint(sample) && this.pendingTracks) {
        done.push(this.close(sample.pts - open.startPts));
      } else if (this.isCutPoint(sample) && elapsed >= this.fragmentTicks) {
        if (sample.kind === 'video' && this.tracks.audio) {
          // hold the keyframe until audio reaches its PTS, so both tracks of a segment cover the same span
          this.held = [sample];
          this.heldBytes = size;
          this.holdUntilPts = sample.pts;
          return done;
        }
        done.push(this.close(sample.pts - open.startPts));
      } else if (elapsed >= this.maxTicks && (sample.kind === 'audio' || !this.tracks.audio)) {
        // forced (no keyframe came): on an audio frame when there is audio, as its PTS is its DTS. In a
        // stream with B-frames the video on either side of such a cut overlaps by the reorder delay, so
        // the EXTINF of a forced segment can be off by that much (nginx-rtmp behaves the same)
        done.push(this.close(sample.kind === 'audio' ? sample.pts - open.startPts : elapsed));
        this.startSegment(sample); // this segment does not start on a keyframe
      } else if (!this.fits(size) || this.stalledSamples() >= this.maxStalledSamples) {
        // full, or the publisher's clock stopped (so no cut above would ever come): cut here, whatever this frame is
        done.push(this.close(this.contentTicks(open)));
        this.startSegment(sample, false);
      }
    }
    if (!this.open) {
      if (!this.isCutPoint(sample)) return done; // a video stream's segment must start on a keyframe
      this.startSegment(sample);
    }
    this.append(sample);
    return done;
  }

  /** Closes the open segment at stream end (duration estimated from its last frames). */
  flush(): CompletedSegment | null {
    // a few held frames at the very end stay with the last segment (dropped if it has no room for them)
    if (this.fits(this.heldBytes)) this.appendHeld();
    else this.dropHeld();
    const open = this.open;
    return open ? this.close(this.contentTicks(open)) : null;
  }

  /**
   * Drops the open segment and any held frames (e.g. their file could not be written); no segment opens until
   * resume(). The next segment gets index `reuseIndex` (default: the dropped one's), so the numbering has no gap.
   */
  suspend(reuseIndex?: number): void {
    this.dropHeld();
    if (this.open) {
      this.muxer.flush();
      releaseTsChunks(this.muxer.takeOutput().chunks);
      this.nextIndex = this.open.index;
      this.open = null;
    }
    if (reuseIndex !== undefined && reuseIndex < this.nextIndex) this.nextIndex = reuseIndex;
    this.suspended = true;
    this.nextDiscontinuity = true;
  }

  /** Segments again from the next cut point (a keyframe, with video), flagged as a discontinuity. */
  resume(): void {
    this.suspended = false;
  }

  /**
   * The publisher reconnected (or a restart continues an earlier playlist): closes the open segment and
   * flags the next one as a discontinuity, always — the caller knows what came before better than we do.
   * Call setTracks() again once the new publisher's sequence headers are known.
   */
  markDiscontinuity(): CompletedSegment | null {
    const last = this.flush();
    this.nextDiscontinuity = true;
    this.lastVideoDts = null;
    this.lastAudioDts = null;
    return last;
  }

  /**
   * Backwards by more than 1 s (nginx-rtmp's rule), or forwards by a gap in which no track had a
   * sample for longer than a whole fragment (a paused publisher): either would put a hole or an
   * overlap inside one EXTINF.
   */
  private isJump(sample: MediaSample): boolean {
    return this.open !== null && this.jumps(sample.dts, this.open.maxDts);
  }

  private jumps(dts: number, maxDts: number): boolean {
    return dts < maxDts - JUMP_TICKS || dts - maxDts > this.forwardJumpTicks;
  }

  /** Whether the open segment has room for this many more bytes (true when none is open). */
  private fits(bytes: number): boolean {
    return this.open === null || this.open.bytes + bytes <= this.maxSegmentBytes;
  }

  private canHold(bytes: number): boolean {
    return this.held.length < this.maxHeldSamples && this.heldBytes + bytes <= this.maxHeldBytes;
  }

  private stalledSamples(): number {
    return Math.max(this.videoStalled, this.audioStalled);
  }

  private dropHeld(): void {
    this.held = [];
    this.heldBytes = 0;
  }

  /** Ends a hold: the old segment is complete; the held keyframe starts the next one. */
  private release(): CompletedSegment {
    const held = this.held;
    this.dropHeld();
    const seg = this.close(held[0]!.pts - this.open!.startPts);
    this.startSegment(held[0]!, false);
    for (const h of held) this.append(h);
    return seg;
  }

  private appendHeld(): void {
    const held = this.held;
    this.dropHeld();
    for (const h of held) this.append(h);
  }

  private isCutPoint(sample: MediaSample): boolean {
    const tracks = this.pendingTracks ?? this.tracks;
    if (sample.kind === 'video') return tracks.video && sample.key;
    return !tracks.video && tracks.audio; // audio-only streams cut on any audio frame
  }

  private startSegment(sample: MediaSample, fresh = true): void {
    if (this.pendingTracks) {
      this.tracks = this.pendingTracks;
      this.pendingTracks = null;
      if (this.producedAny) this.nextDiscontinuity = true; // new PMT or codec config: players must re-probe
    }
    if (this.closedMaxDts !== null && this.jumps(sample.dts, this.closedMaxDts)) this.nextDiscontinuity = true;
    this.muxer.setTracks(this.tracks);
    this.muxer.segmentStart();
    this.open = {
      index: this.nextIndex++,
      startDts: sample.dts,
      startPts: sample.pts,
      audioFromPts: fresh && sample.kind === 'video' ? sample.pts : -Infinity,
      discontinuity: this.nextDiscontinuity,
      firstKeyframe: sample.kind === 'video' && sample.key,
      needsParameterSets: true,
      maxDts: sample.dts,
      minPts: sample.pts,
      endTicks: sample.pts,
      bytes: SEGMENT_START_BYTES,
    };
    this.videoStalled = 0;
    this.audioStalled = 0;
    this.nextDiscontinuity = false;
    this.producedAny = true;
  }

  private append(sample: MediaSample): void {
    const open = this.open!;
    if (sample.kind === 'video' ? !this.tracks.video : !this.tracks.audio) return; // not in this PMT
    if (sample.kind === 'audio' && sample.pts < open.audioFromPts) return; // before the first picture
    let muxed = sample;
    if (sample.kind === 'video' && open.needsParameterSets) {
      open.needsParameterSets = false;
      // keyframes already carry them (FlvDemuxer puts SPS/PPS before every IDR)
      if (!sample.key && this.parameterSets) muxed = { ...sample, chunks: withParameterSets(sample.chunks, this.parameterSets) };
    }
    this.muxer.muxSample(muxed);
    open.bytes += tsBytesOf(muxed);
    if (sample.dts > open.maxDts) open.maxDts = sample.dts;
    const frame = sample.kind === 'video' ? this.videoFrameTicks : this.audioFrameTicks;
    if (sample.pts < open.minPts) open.minPts = sample.pts;
    const end = sample.pts + frame;
    if (end > open.endTicks) open.endTicks = end;
  }

  /** A segment with no successor to measure against: its presentation span, as ffprobe would measure it. */
  private contentTicks(open: OpenSegment): number {
    return open.endTicks - open.minPts;
  }

  private close(durationTicks: number): CompletedSegment {
    const open = this.open!;
    this.muxer.flush();
    const { chunks, bytes } = this.muxer.takeOutput();
    this.open = null;
    this.closedMaxDts = open.maxDts;
    return {
      index: open.index,
      durationS: Math.max(0, durationTicks) / TICKS_PER_S,
      chunks,
      bytes,
      discontinuity: open.discontinuity,
      startDts: open.startDts,
      firstKeyframe: open.firstKeyframe,
    };
  }

  /** Learns frame durations, and counts frames whose DTS did not advance. */
  private trackFrameDuration(sample: MediaSample): void {
    if (sample.kind === 'video') {
      const d = this.lastVideoDts === null ? 0 : sample.dts - this.lastVideoDts;
      if (d > 0 && d < JUMP_TICKS) this.videoFrameTicks = d;
      this.videoStalled = d > 0 || this.lastVideoDts === null ? 0 : this.videoStalled + 1;
      this.lastVideoDts = sample.dts;
    } else {
      const d = this.lastAudioDts === null ? 0 : sample.dts - this.lastAudioDts;
      if (d > 0 && d < JUMP_TICKS) this.audioFrameTicks = d;
      this.audioStalled = d > 0 || this.lastAudioDts === null ? 0 : this.audioStalled + 1;
      this.lastAudioDts = sample.dts;
    }
  }
}

// Segmenter: cuts the sample stream into MPEG-TS segments the way nginx-rtmp's HLS module does
// (keyframe cuts once hls_fragment is reached, forced cuts at 10×, timestamp jumps), with bounds that hold
// whatever the publisher's timestamps say: held frames, segment bytes, stalled clocks. Pure state, no I/O.
import { withParameterSets } from './avc';
import { HlsInputError } from './errors';
import { SEGMENT_START_BYTES, contentTicks, extendSegment, openSegment, tsBytesOf, type OpenSegment } from './open-segment';
import { JUMP_TICKS, TICKS_PER_S, segmenterLimits, type SegmenterLimits, type SegmenterOptions } from './segmenter-options';
import { TrackClock } from './track-clock';
import { releaseTsChunks } from './ts-blocks';
import { TsMuxer } from './ts-muxer';
import { ownedSample, type CompletedSegment, type FullBlocks, type MediaSample, type TrackSet } from './types';

export { tsBytesOf } from './open-segment';
export { DEFAULT_MAX_SEGMENT_BYTES, type SegmenterOptions } from './segmenter-options';

const DEFAULT_VIDEO_FRAME_TICKS = 3600; // 25 fps, until two frames tell us better
const DEFAULT_AUDIO_FRAME_TICKS = 1920; // 1024 samples at 48 kHz
/** stop waiting for audio to reach a held keyframe's PTS once video is this far past it (audio stalled) */
const HOLD_SLACK_TICKS = 45000;
const NO_FULL: FullBlocks = Object.freeze({ index: -1, blocks: Object.freeze([]) as readonly Buffer[] });

export class Segmenter {
  private readonly limits: SegmenterLimits;
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
  /** suspend(): no segment opens until resume() */
  private suspended = false;
  /** frame durations, and frames in a row whose DTS did not pass the track's previous one (reset by every cut) */
  private readonly videoClock = new TrackClock(DEFAULT_VIDEO_FRAME_TICKS);
  private readonly audioClock = new TrackClock(DEFAULT_AUDIO_FRAME_TICKS);
  private parameterSets: Buffer | null = null;

  constructor(opts: SegmenterOptions) {
    this.limits = segmenterLimits(opts);
    this.nextIndex = opts.firstIndex ?? 0;
    this.tracks = { ...(opts.tracks ?? { video: true, audio: true }) };
    this.muxer = new TsMuxer({ audioPesMaxTicks: opts.audioPesMaxTicks });
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

  /** Numbers the open segment and the later ones `by` further (an earlier run's numbering, learnt after muxing began). */
  shiftIndexes(by: number): void {
    this.nextIndex += by;
    if (this.open) this.open.index += by;
  }

  /**
   * The open segment's blocks that filled up since the last call, so a segment need not sit in memory until its cut:
   * take them after every call (a cut hands the rest over in its `chunks`; full blocks are always the open segment's).
   */
  takeFull(): FullBlocks {
    const blocks = this.muxer.takeFull();
    return blocks.length === 0 ? NO_FULL : { index: this.open?.index ?? this.nextIndex, blocks };
  }

  /** The hub reuses the tags given so far (TagTap.onGopEnd): held frames and gathered audio get copies of their own. */
  detach(): void {
    if (this.held.length > 0) this.held = this.held.map(ownedSample);
    this.muxer.detach();
  }

  /** Feeds one sample; returns the segments it completed (zero or one; an array so callers need no null check). */
  push(sample: MediaSample): CompletedSegment[] {
    const size = tsBytesOf(sample);
    if (size > this.limits.maxSegmentBytes - SEGMENT_START_BYTES) {
      throw new HlsInputError('frame_too_large', `a ${sample.kind} frame of ${size} TS bytes does not fit in a segment of ${this.limits.maxSegmentBytes}`);
    }
    const done: CompletedSegment[] = [];
    (sample.kind === 'video' ? this.videoClock : this.audioClock).observe(sample.dts);
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
        done.push(this.close(contentTicks(open)));
        this.nextDiscontinuity = true;
      } else if (this.isCutPoint(sample) && this.pendingTracks) {
        done.push(this.close(sample.pts - open.startPts));
      } else if (this.isCutPoint(sample) && elapsed >= this.limits.fragmentTicks) {
        if (sample.kind === 'video' && this.tracks.audio) {
          // hold the keyframe until audio reaches its PTS, so both tracks of a segment cover the same span
          this.held = [sample];
          this.heldBytes = size;
          this.holdUntilPts = sample.pts;
          return done;
        }
        done.push(this.close(sample.pts - open.startPts));
      } else if (elapsed >= this.limits.maxTicks && (sample.kind === 'audio' || !this.tracks.audio)) {
        // forced (no keyframe came): on an audio frame when there is audio, as its PTS is its DTS. In a
        // stream with B-frames the video on either side of such a cut overlaps by the reorder delay, so
        // the EXTINF of a forced segment can be off by that much (nginx-rtmp behaves the same)
        done.push(this.close(sample.kind === 'audio' ? sample.pts - open.startPts : elapsed));
        this.startSegment(sample); // this segment does not start on a keyframe
      } else if (!this.fits(size) || this.stalledSamples() >= this.limits.maxStalledSamples) {
        // full, or the publisher's clock stopped (so no cut above would ever come): cut here, whatever this frame is
        done.push(this.close(contentTicks(open)));
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
    return open ? this.close(contentTicks(open)) : null;
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
    this.videoClock.forget();
    this.audioClock.forget();
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
    return dts < maxDts - JUMP_TICKS || dts - maxDts > this.limits.forwardJumpTicks;
  }

  /** Whether the open segment has room for this many more bytes (true when none is open). */
  private fits(bytes: number): boolean {
    return this.open === null || this.open.bytes + bytes <= this.limits.maxSegmentBytes;
  }

  private canHold(bytes: number): boolean {
    return this.held.length < this.limits.maxHeldSamples && this.heldBytes + bytes <= this.limits.maxHeldBytes;
  }

  private stalledSamples(): number {
    return Math.max(this.videoClock.stalled, this.audioClock.stalled);
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
    this.open = openSegment(this.nextIndex++, sample, fresh, this.nextDiscontinuity);
    this.videoClock.stalled = 0;
    this.audioClock.stalled = 0;
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
    extendSegment(open, sample, tsBytesOf(muxed), (sample.kind === 'video' ? this.videoClock : this.audioClock).frameTicks);
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
}

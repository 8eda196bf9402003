// HlsPipeline: the whole pure chain for one broadcast — FLV tag buffers in, completed segments out —
// with input errors caught and counted, so a misbehaving publisher can never throw into the hub.
import { HlsInputError } from './errors';
import { FlvDemuxer } from './flv-demuxer';
import { readFlvTag } from './flv-tag';
import { Segmenter, type SegmenterOptions } from './segmenter';
import type { CompletedSegment, FullBlocks, StreamConfig, StreamInfo } from './types';

export type HlsPipelineOptions = SegmenterOptions;

export class HlsPipeline {
  private readonly demuxer = new FlvDemuxer();
  private readonly segmenter: Segmenter;
  /** tags arrived since the start or the last discontinuity() */
  private sawTags = false;
  private rejected = 0;
  private internal = 0;
  private lastRejection: Error | null = null;

  constructor(opts: HlsPipelineOptions) {
    this.segmenter = new Segmenter({ ...opts, tracks: opts.tracks ?? { video: false, audio: false } });
  }

  /**
   * One whole FLV tag (or the FLV file header) exactly as the hub's sendBuffer hands it; never mutated.
   * Views into it are kept until its media is muxed (a few frames at most), or until onGopEnd() copies them:
   * the caller must not refill the buffer before either.
   * An FLV file header after tags means a new publisher on the same tap: handled as discontinuity().
   */
  pushTag(buf: Buffer): CompletedSegment[] {
    try {
      const tag = readFlvTag(buf);
      if (!tag) {
        const last = this.sawTags ? this.discontinuity() : null;
        return last ? [last] : [];
      }
      this.sawTags = true;
      const { samples, config } = this.demuxer.push(tag);
      // a sequence header changed the track set, or the codec parameters within a track
      if (config) this.configure(config, true);
      if (samples.length === 1) return this.segmenter.push(samples[0]!); // (the usual case: no array to join)
      const out: CompletedSegment[] = [];
      for (const s of samples) for (const seg of this.segmenter.push(s)) out.push(seg);
      return out;
    } catch (err) {
      // HlsInputError is bad input; anything else is our bug on odd input: still never let it escape
      this.rejected++;
      if (!(err instanceof HlsInputError)) this.internal++;
      this.lastRejection = err instanceof Error ? err : new Error(String(err));
      return [];
    }
  }

  /** The hub's GOP ended: what is kept of its tags is copied before the hub reuses them (TagTap.onGopEnd). */
  onGopEnd(): void {
    this.segmenter.detach();
  }

  /**
   * The open segment's blocks that filled up during the last call (pushTag, discontinuity…): take them after
   * each one, copy them, then releaseTsChunks() them. See Segmenter.takeFull().
   */
  takeFull(): FullBlocks {
    return this.segmenter.takeFull();
  }

  /** See Segmenter.shiftIndexes(): the open segment and the later ones are numbered `by` further. */
  shiftIndexes(by: number): void {
    this.segmenter.shiftIndexes(by);
  }

  /** The publisher reconnected: closes the open segment; the next one is flagged and uses fresh codec config. */
  discontinuity(): CompletedSegment | null {
    this.sawTags = false;
    const last = this.segmenter.markDiscontinuity();
    this.configure(this.demuxer.reset(), false);
    return last;
  }

  private configure(config: StreamConfig, changed: boolean): void {
    this.segmenter.setTracks(config.tracks);
    if (changed) this.segmenter.reconfigure();
    this.segmenter.setVideoParameterSets(config.parameterSets);
  }

  /**
   * The open segment could not be stored (e.g. the disk is full): drops it; until resume() tags are still read
   * (codec config stays known) but no segment is made. Then the next keyframe starts one, after a discontinuity.
   * `reuseIndex`: a completed segment that was lost too, whose index the next one takes.
   */
  suspend(reuseIndex?: number): void {
    this.segmenter.suspend(reuseIndex);
  }

  resume(): void {
    this.segmenter.resume();
  }

  /** Stream ended: closes the open segment. */
  flush(): CompletedSegment | null {
    return this.segmenter.flush();
  }

  /** Codec facts for stats (width/height, profile/level, sample rate…) and refused tracks. */
  get info(): StreamInfo {
    return this.demuxer.info;
  }

  /**
   * Tags dropped since start and the latest reason (for a rate-limited warning). `internal` counts
   * errors that were not HlsInputError: those are our bugs, worth an error log with the stack.
   */
  get rejectedTags(): { count: number; internal: number; last: Error | null } {
    return { count: this.rejected, internal: this.internal, last: this.lastRejection };
  }
}

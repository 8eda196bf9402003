// One broadcast's HLS output: FLV tags from the hub → the pure pipeline (server/media/hls) → files.
// Keeps the live playlist (a sliding window) and, with REPLAY on, the VOD playlist of the whole broadcast.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { HlsPipeline, LiveWindow, releaseTsChunks, vodPlaylist, type CompletedSegment, type WindowSegment } from '../hls';
import { writeFileAtomic } from './atomic-write';
import { LIVE_PLAYLIST, VOD_PLAYLIST, segmentName } from './hls-paths';
import { readEarlierSegments } from './earlier-segments';
import { SegmentFile } from './segment-file';

export interface HlsRecorderOptions {
  dir: string;
  fragmentS: number;
  playlistLengthS: number;
  replay: boolean;
  log: Logger;
  /** called once a playlist naming a new segment is in place (stats, bench) */
  onSegment?(info: { index: number; durationS: number; bytes: number; cutAt: number; listedAt: number }): void;
}

/** Segments kept on disk after leaving the live window, for players still fetching them. */
const GRACE_SEGMENTS = 3;
const ENDLIST = '#EXT-X-ENDLIST\n';

export class HlsRecorder {
  private readonly pipeline: HlsPipeline;
  private readonly window: LiveWindow;
  /** every segment of the broadcast, for the VOD playlist */
  private readonly all: WindowSegment[];
  /** segments that left the live window, waiting to be deleted (REPLAY off) */
  private readonly leaving: WindowSegment[] = [];
  private ended = false;
  private warnedRejected = 0;
  /** the segment being muxed, on disk so far (its full blocks are written as they fill) */
  private segmentFile: SegmentFile | null = null;

  constructor(private readonly opts: HlsRecorderOptions) {
    mkdirSync(opts.dir, { recursive: true });
    // a broadcast resumed after a server restart continues its numbering and its replay
    const earlier = readEarlierSegments(opts.dir);
    this.all = earlier.segments;
    this.pipeline = new HlsPipeline({
      fragmentS: opts.fragmentS, firstIndex: earlier.nextIndex, spill: (index, bytes) => this.fileFor(index).append([bytes]),
    });
    if (earlier.segments.length > 0) this.pipeline.discontinuity();
    this.window = new LiveWindow(opts.playlistLengthS);
  }

  /** A whole FLV tag (or the FLV file header) from the hub. */
  onTag(buf: Buffer): void {
    if (this.ended) return;
    const cutAt = Date.now();
    for (const seg of this.pipeline.pushTag(buf)) this.store(seg, cutAt);
    this.warnRejected();
  }

  /** The publisher dropped: close the segment in progress so the playlist holds everything received. */
  pause(): void {
    const seg = this.pipeline.flush();
    if (seg) this.store(seg, Date.now());
  }

  /** The publisher came back inside the grace: continue the same playlist after a discontinuity. */
  resume(): void {
    const seg = this.pipeline.discontinuity();
    if (seg) this.store(seg, Date.now());
  }

  /** The broadcast is over: final segment, ENDLIST on both playlists. */
  end(): void {
    if (this.ended) return;
    this.pause();
    this.ended = true;
    this.writePlaylists();
  }

  /** Codec facts the pipeline learnt (for stats). */
  get info() {
    return this.pipeline.info;
  }

  private store(seg: CompletedSegment, cutAt: number): void {
    const file = this.fileFor(seg.index);
    this.segmentFile = null;
    try {
      file.finish(seg.chunks);
    } finally {
      releaseTsChunks(seg.chunks); // written (or lost): the blocks go to the next segment
    }
    const entry: WindowSegment = { index: seg.index, durationS: seg.durationS, discontinuity: seg.discontinuity };
    this.all.push(entry);
    this.leaving.push(...this.window.add(entry));
    this.writePlaylists();
    this.opts.onSegment?.({ index: seg.index, durationS: seg.durationS, bytes: seg.bytes, cutAt, listedAt: Date.now() });
    if (!this.opts.replay) this.deleteOld();
  }

  private fileFor(index: number): SegmentFile {
    if (this.segmentFile?.index !== index) {
      this.segmentFile?.discard(); // cannot happen: a segment is stored before the next one spills
      this.segmentFile = new SegmentFile(index, join(this.opts.dir, segmentName(index)));
    }
    return this.segmentFile;
  }

  private deleteOld(): void {
    while (this.leaving.length > GRACE_SEGMENTS) {
      rmSync(join(this.opts.dir, segmentName(this.leaving.shift()!.index)), { force: true });
    }
  }

  private writePlaylists(): void {
    const live = this.window.playlist(segmentName);
    writeFileAtomic(join(this.opts.dir, LIVE_PLAYLIST), this.ended ? live + ENDLIST : live);
    if (this.opts.replay) {
      const segments = this.all.map((e) => ({ uri: segmentName(e.index), durationS: e.durationS, discontinuity: e.discontinuity }));
      writeFileAtomic(join(this.opts.dir, VOD_PLAYLIST), vodPlaylist({ segments, ended: this.ended }));
    }
  }

  /** A publisher's malformed media is skipped, not fatal: say so now and then. */
  private warnRejected(): void {
    const r = this.pipeline.rejectedTags;
    if (r.count > this.warnedRejected && (this.warnedRejected === 0 || r.count - this.warnedRejected >= 100)) {
      this.opts.log[r.internal > 0 ? 'error' : 'warn']({ err: r.last, count: r.count }, 'hls: skipped tags the muxer could not use');
      this.warnedRejected = r.count;
    }
  }
}

// One broadcast's HLS output: FLV tags from the hub → the pure pipeline (server/media/hls) → files.
// Keeps the live playlist (a sliding window) and, with REPLAY on, the VOD playlist of the whole broadcast.
// Disk limits: a quota or the free-space watermark ends the recording (ENDLIST); a failed write (ENOSPC) pauses
// it, and it starts again at a keyframe once there is room.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { HlsPipeline, LiveWindow, releaseTsChunks, vodPlaylist, type CompletedSegment, type WindowSegment } from '../hls';
import { writeFileAtomic } from './atomic-write';
import type { BroadcastBudget, DiskRefusal } from './disk-budget';
import { LIVE_PLAYLIST, VOD_PLAYLIST, segmentName } from './hls-paths';
import { readEarlierSegments } from './earlier-segments';
import { SegmentFile } from './segment-file';

export interface HlsRecorderOptions {
  dir: string;
  fragmentS: number;
  playlistLengthS: number;
  replay: boolean;
  log: Logger;
  /** a segment is cut before it grows past this (HLS_MAX_SEGMENT_MB); the segmenter's default without it */
  maxSegmentBytes?: number;
  /** quotas and free space, asked before every write; without one only write errors pause the recording */
  budget?: BroadcastBudget;
  /** after a failed write, room is looked for at most this often (default 1 s) */
  retryMs?: number;
  /** the recording ended because of a disk limit */
  onLimit?(reason: DiskRefusal): void;
  /** called once a playlist naming a new segment is in place (stats, bench) */
  onSegment?(info: { index: number; durationS: number; bytes: number; cutAt: number; listedAt: number }): void;
}

/** Segments kept on disk after leaving the live window, for players still fetching them. */
const GRACE_SEGMENTS = 3;
const ENDLIST = '#EXT-X-ENDLIST\n';
const RETRY_MS = 1000;

/** A segment that could not be kept: over a limit (recording ends) or a write error (recording pauses). */
interface Loss { index?: number; limit?: DiskRefusal; error?: unknown }

export class HlsRecorder {
  private readonly pipeline: HlsPipeline;
  private readonly window: LiveWindow;
  /** every segment of the broadcast, for the VOD playlist */
  private readonly all: WindowSegment[];
  /** segments that left the live window, waiting to be deleted (REPLAY off) */
  private readonly leaving: WindowSegment[] = [];
  /** bytes of the segments this recorder stored, so a deletion can be taken off the budget */
  private readonly sizes = new Map<number, number>();
  private ended = false;
  private warnedRejected = 0;
  /** segments being muxed, on disk so far (their full blocks are written as they fill): the open one, and the one
   *  just cut while its successor already spills (a big keyframe) */
  private readonly files = new Map<number, SegmentFile>();
  /** found while the pipeline runs, handled once it returns */
  private loss: Loss | null = null;
  /** a write failed at this time: tags are still read, nothing is recorded until there is room again */
  private pausedAt: number | null = null;

  constructor(private readonly opts: HlsRecorderOptions) {
    // a broadcast resumed after a server restart continues its numbering and its replay
    const earlier = readEarlierSegments(opts.dir);
    this.all = earlier.segments;
    this.pipeline = new HlsPipeline({
      fragmentS: opts.fragmentS, firstIndex: earlier.nextIndex, maxSegmentBytes: opts.maxSegmentBytes,
      spill: (index, bytes) => this.spill(index, bytes),
    });
    if (earlier.segments.length > 0) this.pipeline.discontinuity();
    // a normal stream lists about playlistLengthS / fragmentS segments; a stalled clock's one-frame segments are capped
    this.window = new LiveWindow(opts.playlistLengthS, Math.max(3, Math.ceil(opts.playlistLengthS / opts.fragmentS) * 3));
    try {
      mkdirSync(opts.dir, { recursive: true });
    } catch (err) {
      this.loss = { error: err };
      this.handleLoss();
    }
  }

  /** A whole FLV tag (or the FLV file header) from the hub. */
  onTag(buf: Buffer): void {
    if (this.ended) return;
    if (this.pausedAt !== null) this.retry();
    const cutAt = Date.now();
    for (const seg of this.pipeline.pushTag(buf)) this.store(seg, cutAt);
    this.handleLoss();
    this.warnRejected();
  }

  /** The publisher dropped: close the segment in progress so the playlist holds everything received. */
  pause(): void {
    if (this.ended) return;
    const seg = this.pipeline.flush();
    if (seg) this.store(seg, Date.now());
    this.handleLoss();
  }

  /** The publisher came back inside the grace: continue the same playlist after a discontinuity. */
  resume(): void {
    if (this.ended) return;
    const seg = this.pipeline.discontinuity();
    if (seg) this.store(seg, Date.now());
    this.handleLoss();
  }

  /** The broadcast is over: final segment, ENDLIST on both playlists. */
  end(): void {
    if (this.ended) return;
    this.pause();
    if (this.ended) return; // a limit ended it on the way
    this.ended = true;
    this.writePlaylists();
  }

  /** Recording stopped for good (ended, or a disk limit): tags are ignored. */
  get stopped(): boolean {
    return this.ended;
  }

  /** Codec facts the pipeline learnt (for stats). */
  get info() {
    return this.pipeline.info;
  }

  /** A full block of the open segment: written now, if the limits allow (they are asked before every block). */
  private spill(index: number, bytes: Buffer): void {
    if (this.loss) return; // the open segment is being dropped
    const limit = this.opts.budget?.refusal(bytes.length, this.unstoredBytes() + bytes.length) ?? null;
    if (limit) {
      this.loss = { index, limit };
      return;
    }
    const file = this.fileFor(index);
    file.append([bytes]);
    if (file.error) this.loss = { index, error: file.error };
    else this.opts.budget?.wrote(bytes.length);
  }

  private store(seg: CompletedSegment, cutAt: number): void {
    const file = this.fileFor(seg.index);
    this.files.delete(seg.index);
    try {
      // recording stops or pauses: nothing from the lost segment on is kept (a later one's loss leaves this one be:
      // a big keyframe at the cut spills the next segment before this one is stored)
      if (this.loss && (this.loss.index === undefined || this.loss.index <= seg.index)) return file.discard();
      const tail = seg.bytes - file.bytes;
      const limit = this.opts.budget?.refusal(tail, seg.bytes + this.unstoredBytes()) ?? null;
      if (limit) {
        this.loss = { index: seg.index, limit };
        return file.discard();
      }
      file.finish(seg.chunks);
      this.opts.budget?.wrote(tail);
      this.opts.budget?.stored(seg.bytes);
    } catch (err) {
      this.loss = { index: seg.index, error: err };
      return;
    } finally {
      releaseTsChunks(seg.chunks); // written (or lost): the blocks go to the next segment
    }
    const entry: WindowSegment = { index: seg.index, durationS: seg.durationS, discontinuity: seg.discontinuity };
    this.all.push(entry);
    this.sizes.set(seg.index, seg.bytes);
    this.leaving.push(...this.window.add(entry));
    this.writePlaylists();
    this.opts.onSegment?.({ index: seg.index, durationS: seg.durationS, bytes: seg.bytes, cutAt, listedAt: Date.now() });
    if (!this.opts.replay) this.deleteOld();
  }

  /** After a loss: drop what is being muxed; a limit ends the recording (ENDLIST), a write error pauses it. */
  private handleLoss(): void {
    const loss = this.loss;
    if (!loss) return;
    this.pipeline.suspend(loss.index);
    for (const f of this.files.values()) f.discard();
    this.files.clear();
    this.loss = null;
    if (loss.limit) {
      this.ended = true;
      this.opts.log.warn({ reason: loss.limit }, 'hls: recording stopped by a disk limit');
      this.opts.onLimit?.(loss.limit);
      this.writePlaylists();
    } else {
      this.pausedAt = Date.now();
      this.opts.log.warn({ err: loss.error }, 'hls: write failed; recording resumes at a keyframe once there is room');
    }
  }

  /** Paused by a write error: resume (from the next keyframe) once there is room again. */
  private retry(): void {
    if (Date.now() - this.pausedAt! < (this.opts.retryMs ?? RETRY_MS)) return;
    if (this.opts.budget && !this.opts.budget.spaceBack()) {
      this.pausedAt = Date.now();
      return;
    }
    try {
      mkdirSync(this.opts.dir, { recursive: true }); // it may be what failed
    } catch {
      this.pausedAt = Date.now();
      return;
    }
    this.pausedAt = null;
    this.pipeline.resume();
    this.opts.log.info('hls: recording resumes');
  }

  private unstoredBytes(): number {
    let n = 0;
    for (const f of this.files.values()) n += f.bytes;
    return n;
  }

  private fileFor(index: number): SegmentFile {
    let file = this.files.get(index);
    if (!file) this.files.set(index, (file = new SegmentFile(index, join(this.opts.dir, segmentName(index)))));
    return file;
  }

  private deleteOld(): void {
    while (this.leaving.length > GRACE_SEGMENTS) {
      const { index } = this.leaving.shift()!;
      rmSync(join(this.opts.dir, segmentName(index)), { force: true });
      this.opts.budget?.stored(-(this.sizes.get(index) ?? 0));
      this.sizes.delete(index);
    }
  }

  private writePlaylists(): void {
    try {
      const live = this.window.playlist(segmentName);
      writeFileAtomic(join(this.opts.dir, LIVE_PLAYLIST), this.ended ? live + ENDLIST : live);
      if (this.opts.replay) {
        const segments = this.all.map((e) => ({ uri: segmentName(e.index), durationS: e.durationS, discontinuity: e.discontinuity }));
        writeFileAtomic(join(this.opts.dir, VOD_PLAYLIST), vodPlaylist({ segments, ended: this.ended }));
      }
    } catch (err) {
      // the next playlist written lists everything (all segments are kept in memory): pause until there is room
      if (this.ended) this.opts.log.warn({ err }, 'hls: the final playlist could not be written');
      else this.loss ??= { error: err };
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

// One broadcast's HLS output: FLV tags from the hub → the pure pipeline (server/media/hls) → the live cache
// (what viewers are served) and, queued off the event loop, files (what replays and restarts use).
// Keeps the live playlist (a sliding window) and, with REPLAY on, the VOD playlist of the whole broadcast.
// Disk limits: a quota or the free-space watermark ends the recording (ENDLIST); a failed write (ENOSPC) pauses
// it, and it starts again at a keyframe once there is room.
import { basename, join } from 'node:path';
import type { Logger } from 'pino';
import { HlsPipeline, LiveWindow, releaseTsChunks, vodPlaylist, type CompletedSegment, type WindowSegment } from '../hls';
import { DEFAULT_MAX_SEGMENT_BYTES } from '../hls/segmenter';
import { writeFileAtomic } from './atomic-write';
import type { BroadcastBudget, DiskRefusal } from './disk-budget';
import { readEarlierSegments } from './earlier-segments';
import { HlsCache } from './hls-cache';
import { LIVE_PLAYLIST, VOD_PLAYLIST, segmentName } from './hls-paths';
import { DiskBacklog } from './disk-backlog';
import { recorderFs, type RecorderFs } from './recorder-fs';
import { RejectionWarner } from './rejected-tags';
import { SegmentBytes } from './segment-bytes';
import { SegmentFile } from './segment-file';
import { WriteQueue } from './write-queue';

export interface HlsRecorderOptions {
  dir: string;
  fragmentS: number;
  playlistLengthS: number;
  replay: boolean;
  log: Logger;
  /** names the broadcast in ETags (default: the folder's name, which is the broadcast id) */
  broadcastId?: string;
  /** a segment is cut before it grows past this (HLS_MAX_SEGMENT_MB); the segmenter's default without it */
  maxSegmentBytes?: number;
  /** quotas and free space, asked before every write; without one only write errors pause the recording */
  budget?: BroadcastBudget;
  /** after a failed write, room is looked for at most this often (default 1 s) */
  retryMs?: number;
  /** the file system (default: node:fs/promises); tests make it slow or failing */
  fs?: RecorderFs;
  /** the recording ended because of a disk limit */
  onLimit?(reason: DiskRefusal): void;
  /** the disk fell behind (true) and caught up again (false): the caller holds the publisher meanwhile (DiskBacklog) */
  onBacklog?(behind: boolean): void;
  /** called once a playlist naming a new segment is served (stats, bench) */
  onSegment?(info: { index: number; durationS: number; bytes: number; cutAt: number; listedAt: number }): void;
}

/** Segments kept (in memory, and on disk without REPLAY) after leaving the live window, for players still fetching them. */
const GRACE_SEGMENTS = 3;
/** A segment that landed on disk while nobody fetched anything this recently is served from its file. */
const UNWATCHED_MS = 15_000;
const ENDLIST = '#EXT-X-ENDLIST\n';
const RETRY_MS = 1000;

/** A segment that could not be kept: over a limit (recording ends) or a write error (recording pauses). */
interface Loss { index?: number; limit?: DiskRefusal; error?: unknown }

/** A segment being muxed: its bytes so far (copied out of the muxer's blocks) and its file. */
interface OpenSegment { bytes: SegmentBytes; file: SegmentFile }

export class HlsRecorder {
  readonly cache: HlsCache;
  private readonly pipeline: HlsPipeline;
  private readonly window: LiveWindow;
  private readonly fs: RecorderFs;
  private readonly queue: WriteQueue;
  /** every segment of the broadcast that is (or is being put) on disk, for the VOD playlist */
  private all: WindowSegment[];
  /** segments that left the live window, still in memory (and on disk without REPLAY) for their grace */
  private readonly leaving: WindowSegment[] = [];
  /** bytes of the segments this recorder stored, so a deletion can be taken off the budget */
  private readonly sizes = new Map<number, number>();
  /** finished segments whose file is not in place yet */
  private readonly backlog: DiskBacklog;
  private ended = false;
  private readonly rejections: RejectionWarner;
  /** the segment being muxed (its blocks so far, and its file); a cut one leaves it as soon as it is stored */
  private readonly open = new Map<number, OpenSegment>();
  /** found while the pipeline runs, handled once it returns */
  private loss: Loss | null = null;
  /** a write failed at this time: tags are still read, nothing is recorded until there is room again */
  private pausedAt: number | null = null;
  /** bumped by every loss: playlist writes queued before it would name lost segments */
  private epoch = 0;
  private lastSegmentBytes = 0;
  private playlistVersion = 0;

  constructor(private readonly opts: HlsRecorderOptions) {
    this.fs = opts.fs ?? recorderFs;
    this.rejections = new RejectionWarner(opts.log);
    this.backlog = new DiskBacklog(opts.onBacklog);
    this.queue = new WriteQueue((err, index) => this.diskFailed(err, index));
    // a broadcast resumed after a server restart continues its numbering and its replay
    const earlier = readEarlierSegments(opts.dir);
    this.all = earlier.segments;
    this.pipeline = new HlsPipeline({ fragmentS: opts.fragmentS, firstIndex: earlier.nextIndex, maxSegmentBytes: opts.maxSegmentBytes });
    if (earlier.segments.length > 0) this.pipeline.discontinuity();
    // a normal stream lists about playlistLengthS / fragmentS segments; a stalled clock's one-frame segments are capped
    const maxListed = Math.max(3, Math.ceil(opts.playlistLengthS / opts.fragmentS) * 3);
    this.window = new LiveWindow(opts.playlistLengthS, maxListed);
    this.cache = new HlsCache(opts.broadcastId ?? basename(opts.dir), maxListed + GRACE_SEGMENTS);
    this.queue.push(() => this.fs.mkdir(opts.dir));
  }

  /** A whole FLV tag (or the FLV file header) from the hub. */
  onTag(buf: Buffer): void {
    if (this.ended) return;
    if (this.pausedAt !== null) this.retry();
    const cutAt = Date.now();
    for (const seg of this.pipeline.pushTag(buf)) this.store(seg, cutAt);
    this.takeFull();
    this.handleLoss();
    this.rejections.check(this.pipeline.rejectedTags);
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
  get stopped(): boolean { return this.ended; }

  /** Resolves once everything queued for the disk so far is done (files in place, or given up). */
  settled(): Promise<void> { return this.queue.settled(); }

  /** Codec facts the pipeline learnt (for stats). */
  get info() { return this.pipeline.info; }

  /**
   * The open segment's blocks that filled up in the last pipeline call (taken after the segment it cut, if any,
   * is stored): copied, and queued for its file, if the limits allow (asked before every block).
   */
  private takeFull(): void {
    const { index, blocks } = this.pipeline.takeFull();
    try {
      for (const block of blocks) {
        if (this.loss) return; // the open segment is being dropped
        const limit = this.opts.budget?.refusal(block.length, this.unstoredBytes() + block.length) ?? null;
        if (limit) {
          this.loss = { index, limit };
          return;
        }
        const seg = this.openFor(index);
        seg.file.append(seg.bytes.append(block));
        this.opts.budget?.wrote(block.length);
      }
    } finally {
      releaseTsChunks(blocks); // copied (or lost): the pool hands them to the next packets
    }
  }

  private store(done: CompletedSegment, cutAt: number): void {
    const { bytes, file } = this.openFor(done.index);
    this.open.delete(done.index);
    let body: Buffer;
    try {
      // recording stops or pauses: nothing from the lost segment on is kept
      if (this.loss && (this.loss.index === undefined || this.loss.index <= done.index)) return file.discard();
      const tail = done.bytes - bytes.bytes;
      const limit = this.opts.budget?.refusal(tail, done.bytes + this.unstoredBytes()) ?? null;
      if (limit) {
        this.loss = { index: done.index, limit };
        return file.discard();
      }
      const slow = this.backlog.refusal(done.bytes);
      if (slow) {
        this.loss = { index: done.index, error: new Error(slow) };
        return file.discard();
      }
      file.finish(bytes.appendAll(done.chunks), () => this.landed(done.index));
      body = bytes.done();
      this.opts.budget?.wrote(tail);
      this.opts.budget?.stored(done.bytes);
    } finally {
      releaseTsChunks(done.chunks); // copied (or lost): the blocks go to the next segment
    }
    const entry: WindowSegment = { index: done.index, durationS: done.durationS, discontinuity: done.discontinuity };
    this.backlog.add(done.index, file, done.bytes);
    this.lastSegmentBytes = done.bytes;
    this.all.push(entry);
    this.sizes.set(done.index, done.bytes);
    this.cache.addSegment(done.index, body, cutAt);
    this.leaving.push(...this.window.add(entry));
    this.writePlaylists();
    this.opts.onSegment?.({ index: done.index, durationS: done.durationS, bytes: done.bytes, cutAt, listedAt: Date.now() });
    this.forgetOld();
  }

  private landed(index: number): void {
    this.backlog.landed(index);
    this.cache.landed(index);
    if (Date.now() - this.cache.lastRequestAt > UNWATCHED_MS) this.cache.release(index);
  }

  /** A queued write failed (on a later tick): what is not on disk yet is lost to the replay, and recording pauses. */
  private diskFailed(err: unknown, index: number | undefined): void {
    if (this.ended) {
      this.opts.log.warn({ err }, 'hls: a final write failed');
      return;
    }
    this.loss = { index, error: err };
    this.handleLoss();
  }

  /** After a loss: drop what is being muxed; a limit ends the recording (ENDLIST), a write error pauses it. */
  private handleLoss(): void {
    const loss = this.loss;
    if (!loss) return;
    this.loss = null;
    this.epoch++;
    // finished segments still on their way to the disk are lost from it too (they stay live, from memory)
    const lost = new Set(this.backlog.drop(loss.index ?? -Infinity));
    for (const index of lost) {
      this.opts.budget?.stored(-(this.sizes.get(index) ?? 0));
      this.sizes.delete(index);
    }
    if (lost.size > 0) this.all = this.all.filter((e) => !lost.has(e.index));
    // the next segment takes the lost one's number, unless viewers already have that number from memory
    const listed = loss.index !== undefined && this.cache.segment(loss.index) !== undefined;
    this.pipeline.suspend(listed ? undefined : loss.index);
    for (const seg of this.open.values()) seg.file.discard();
    this.open.clear();
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
    this.pausedAt = null;
    this.queue.push(() => this.fs.mkdir(this.opts.dir)); // it may be what failed: a failure pauses again
    this.pipeline.resume();
    this.opts.log.info('hls: recording resumes');
  }

  private unstoredBytes(): number {
    let n = 0;
    for (const s of this.open.values()) n += s.file.bytes;
    return n;
  }

  private openFor(index: number): OpenSegment {
    let seg = this.open.get(index);
    if (!seg) {
      const file = new SegmentFile(index, join(this.opts.dir, segmentName(index)), this.queue, this.fs);
      this.open.set(index, (seg = { bytes: new SegmentBytes(this.lastSegmentBytes, this.opts.maxSegmentBytes ?? DEFAULT_MAX_SEGMENT_BYTES), file }));
    }
    return seg;
  }

  /** Segments past their grace leave memory, and the disk too without REPLAY. */
  private forgetOld(): void {
    while (this.leaving.length > GRACE_SEGMENTS) {
      const { index } = this.leaving.shift()!;
      this.cache.drop(index);
      if (this.opts.replay) continue;
      const file = join(this.opts.dir, segmentName(index));
      // a segment that cannot be removed stays (counted off anyway): no reason to stop recording
      this.queue.push(() => this.fs.remove(file).catch((err) => this.opts.log.warn({ err, file }, 'hls: an old segment could not be removed')));
      this.opts.budget?.stored(-(this.sizes.get(index) ?? 0));
      this.sizes.delete(index);
    }
  }

  private writePlaylists(): void {
    const window = this.window.playlist(segmentName);
    const live = this.ended ? window + ENDLIST : window;
    this.cache.setPlaylist(live);
    const vod = this.opts.replay
      ? vodPlaylist({ segments: this.all.map((e) => ({ uri: segmentName(e.index), durationS: e.durationS, discontinuity: e.discontinuity })), ended: this.ended })
      : null;
    const epoch = this.epoch;
    const version = ++this.playlistVersion;
    this.queue.push(async () => {
      if (epoch !== this.epoch) return; // a loss since: this text names segments that are not on disk
      if (version !== this.playlistVersion) return; // a newer text is queued (after its segments): a lagging disk skips to it
      await writeFileAtomic(join(this.opts.dir, LIVE_PLAYLIST), live, this.fs);
      if (vod !== null) await writeFileAtomic(join(this.opts.dir, VOD_PLAYLIST), vod, this.fs);
    });
  }
}

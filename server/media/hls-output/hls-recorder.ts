// One broadcast's HLS output: FLV tags from the hub → the pure pipeline (server/media/hls) → the live cache
// (what viewers are served) and, queued off the event loop, files (what replays and restarts use).
// Keeps the live playlist (a sliding window) and, with REPLAY on, the VOD playlist of the whole broadcast.
// Disk limits: a quota or the free-space watermark ends the recording (ENDLIST); a failed write (ENOSPC) pauses
// it, and it starts again at a keyframe once there is room. A broadcast resumed after a restart continues the
// numbering and replay an earlier run left (read asynchronously while the first tags are already muxed).
import { basename, join } from 'node:path';
import { HlsPipeline, LiveWindow, releaseTsChunks, type CompletedSegment, type WindowSegment } from '../hls';
import { DEFAULT_MAX_SEGMENT_BYTES } from '../hls/segmenter';
import type { DiskRefusal } from './disk-budget';
import { loadEarlierSegments, type EarlierSegments } from './earlier-segments';
import { HlsCache } from './hls-cache';
import { DiskBacklog } from './disk-backlog';
import { segmentName } from './hls-paths';
import type { HlsRecorderOptions } from './hls-recorder-options';
import { OpenSegmentFiles } from './open-segment-file';
import { PlaylistFiles } from './playlist-files';
import { recorderFs, type RecorderFs } from './recorder-fs';
import { RejectionWarner } from './rejected-tags';
import { WriteQueue } from './write-queue';

export type { HlsRecorderOptions } from './hls-recorder-options';

/** Segments kept (in memory, and on disk without REPLAY) after leaving the live window, for players still fetching them. */
const GRACE_SEGMENTS = 3;
/** A segment made or landed while nobody fetched anything this recently is served from its file. */
const UNWATCHED_MS = 15_000;
const ENDLIST = '#EXT-X-ENDLIST\n';
const RETRY_MS = 1000;

/** A segment that could not be kept: over a limit (recording ends) or a write error (recording pauses). */
interface Loss { index?: number; limit?: DiskRefusal; error?: unknown }

/** A segment cut before the earlier run's folder was read, with the time it was cut. */
interface EarlyCut { seg: CompletedSegment; cutAt: number }

export class HlsRecorder {
  readonly cache: HlsCache;
  private readonly pipeline: HlsPipeline;
  private readonly window: LiveWindow;
  private readonly fs: RecorderFs;
  private readonly queue: WriteQueue;
  /** segments that left the live window, still in memory (and on disk without REPLAY) for their grace */
  private readonly leaving: WindowSegment[] = [];
  /** bytes of the segments this recorder stored, so a deletion can be taken off the budget */
  private readonly sizes = new Map<number, number>();
  /** finished segments whose file is not in place yet */
  private readonly backlog: DiskBacklog;
  private ended = false;
  private readonly rejections: RejectionWarner;
  /** the segment being muxed: its blocks so far, and its file */
  private readonly open: OpenSegmentFiles;
  /** until the earlier run's folder is read: the segments cut meanwhile (their index is not known yet) */
  private early: EarlyCut[] | null = [];
  /** end() came while the folder was being read */
  private endWhenLoaded = false;
  /** the next segment stored continues an earlier run's playlist: a discontinuity */
  private continuesEarlier = false;
  private readonly loaded: Promise<void>;
  /** found while the pipeline runs, handled once it returns */
  private loss: Loss | null = null;
  /** a write failed at this time: tags are still read, nothing is recorded until there is room again */
  private pausedAt: number | null = null;
  private readonly playlists: PlaylistFiles;

  constructor(private readonly opts: HlsRecorderOptions) {
    this.fs = opts.fs ?? recorderFs;
    this.rejections = new RejectionWarner(opts.log);
    this.backlog = new DiskBacklog(opts.onBacklog);
    this.queue = new WriteQueue((err, index) => this.diskFailed(err, index));
    // numbered from 0 until the folder is read; then shifted past whatever an earlier run left there
    this.pipeline = new HlsPipeline({ fragmentS: opts.fragmentS, maxSegmentBytes: opts.maxSegmentBytes });
    this.playlists = new PlaylistFiles(opts.dir, opts.replay, this.queue, this.fs);
    this.open = new OpenSegmentFiles(opts.dir, this.queue, this.fs, opts.maxSegmentBytes ?? DEFAULT_MAX_SEGMENT_BYTES,
      () => this.watched());
    // a normal stream lists about playlistLengthS / fragmentS segments; a stalled clock's one-frame segments are capped
    const maxListed = Math.max(3, Math.ceil(opts.playlistLengthS / opts.fragmentS) * 3);
    this.window = new LiveWindow(opts.playlistLengthS, maxListed);
    this.cache = new HlsCache(opts.broadcastId ?? basename(opts.dir), maxListed + GRACE_SEGMENTS);
    this.queue.push(() => this.fs.mkdir(opts.dir));
    // a broadcast resumed after a server restart continues its numbering and its replay
    this.loaded = loadEarlierSegments(opts.dir).catch((err: unknown) => {
      opts.log.warn({ err }, 'hls: an earlier recording could not be read; numbering starts at 0');
      return { segments: [], nextIndex: 0 };
    }).then((earlier) => this.continueAfter(earlier));
  }

  /** A whole FLV tag (or the FLV file header) from the hub. */
  onTag(buf: Buffer): void {
    if (this.ended || this.endWhenLoaded) return;
    if (this.pausedAt !== null) this.retry();
    const cutAt = Date.now();
    for (const seg of this.pipeline.pushTag(buf)) this.cut(seg, cutAt);
    this.takeFull();
    this.handleLoss();
    this.rejections.check(this.pipeline.rejectedTags);
  }

  /** The hub's GOP ended (TagTap.onGopEnd): frames still held are copied before the hub reuses their tags. */
  onGopEnd(): void { this.pipeline.onGopEnd(); }

  /** The publisher dropped: close the segment in progress so the playlist holds everything received. */
  pause(): void {
    if (this.ended || this.endWhenLoaded) return;
    const seg = this.pipeline.flush();
    if (seg) this.cut(seg, Date.now());
    this.handleLoss();
  }

  /** The publisher came back inside the grace: continue the same playlist after a discontinuity. */
  resume(): void {
    if (this.ended || this.endWhenLoaded) return;
    const seg = this.pipeline.discontinuity();
    if (seg) this.cut(seg, Date.now());
    this.handleLoss();
  }

  /** The broadcast is over: final segment, ENDLIST on both playlists (once an earlier run's are read). */
  end(): void {
    if (this.ended || this.endWhenLoaded) return;
    this.pause();
    if (this.early) {
      this.endWhenLoaded = true;
      return;
    }
    if (this.ended) return; // a limit ended it on the way
    this.ended = true;
    this.writePlaylists();
  }

  /** Recording stopped for good (ended, or a disk limit): tags are ignored. */
  get stopped(): boolean { return this.ended; }

  /** Resolves once everything queued for the disk so far is done (files in place, or given up). */
  settled(): Promise<void> { return this.loaded.then(() => this.queue.settled()); }

  /** Codec facts the pipeline learnt (for stats). */
  get info() { return this.pipeline.info; }

  /**
   * The open segment's blocks that filled up in the last pipeline call (taken after the segment it cut, if any,
   * is stored): copied, and queued for its file, if the limits allow (asked before every block).
   */
  private takeFull(): void {
    if (this.early) return; // the open segment's number is not known yet: its blocks wait in the muxer
    const { index, blocks } = this.pipeline.takeFull();
    let handed = 0;
    try {
      for (const block of blocks) {
        if (this.loss) return; // the open segment is being dropped
        const limit = this.opts.budget?.refusal(block.length, this.open.unstoredBytes + block.length) ?? null;
        if (limit) {
          this.loss = { index, limit };
          return;
        }
        this.open.append(index, block);
        handed++;
        this.opts.budget?.wrote(block.length);
      }
    } finally {
      if (handed < blocks.length) releaseTsChunks(blocks.slice(handed)); // lost: the pool hands them to the next packets
    }
  }

  /** The earlier run's folder is read: numbering continues past it, and what was cut meanwhile is stored. */
  private continueAfter(earlier: EarlierSegments): void {
    const early = this.early!;
    this.early = null;
    this.playlists.continueAfter(earlier.segments);
    this.continuesEarlier = earlier.segments.length > 0;
    this.pipeline.shiftIndexes(earlier.nextIndex);
    for (const { seg, cutAt } of early) this.store({ ...seg, index: seg.index + earlier.nextIndex }, cutAt);
    this.takeFull();
    this.handleLoss();
    if (!this.endWhenLoaded) return;
    this.endWhenLoaded = false;
    this.end();
  }

  private cut(seg: CompletedSegment, cutAt: number): void {
    if (this.early) this.early.push({ seg, cutAt });
    else this.store(seg, cutAt);
  }

  private store(done: CompletedSegment, cutAt: number): void {
    const open = this.open.take(done.index, done.bytes);
    const refusal = this.refusal(done, open.file.bytes);
    if (refusal) {
      this.loss = refusal;
      open.file.discard();
      releaseTsChunks(done.chunks); // lost: the blocks go to the next segment
      return;
    }
    const queued = open.file.bytes;
    const { file, body } = this.open.finish(open, done.chunks, () => this.landed(done.index));
    this.opts.budget?.wrote(done.bytes - queued);
    this.opts.budget?.stored(done.bytes);
    const entry: WindowSegment = { index: done.index, durationS: done.durationS, discontinuity: done.discontinuity || this.continuesEarlier };
    this.continuesEarlier = false;
    this.backlog.add(done.index, file, done.bytes);
    this.playlists.add(entry);
    this.sizes.set(done.index, done.bytes);
    this.cache.addSegment(done.index, body, cutAt, done.bytes);
    this.leaving.push(...this.window.add(entry));
    this.writePlaylists();
    this.opts.onSegment?.({ index: done.index, durationS: done.durationS, bytes: done.bytes, cutAt, listedAt: Date.now() });
    this.forgetOld();
  }

  /** Why a cut segment cannot be kept, if it cannot: an earlier loss, a disk limit, or a disk that lags. */
  private refusal(done: CompletedSegment, queued: number): Loss | null {
    // recording stops or pauses: nothing from the lost segment on is kept
    if (this.loss && (this.loss.index === undefined || this.loss.index <= done.index)) return this.loss;
    const limit = this.opts.budget?.refusal(done.bytes - queued, done.bytes + this.open.unstoredBytes) ?? null;
    if (limit) return { index: done.index, limit };
    const slow = this.backlog.refusal(done.bytes);
    return slow ? { index: done.index, error: new Error(slow) } : null;
  }

  private landed(index: number): void {
    this.backlog.landed(index);
    this.cache.landed(index);
    if (!this.watched()) this.cache.release(index);
  }

  /** Someone fetched this broadcast's live HLS lately: its segments are kept in memory for them. */
  private watched(): boolean {
    return Date.now() - this.cache.lastRequestAt <= UNWATCHED_MS;
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
    // finished segments still on their way to the disk are lost from it too (they stay live, from memory)
    const lost = new Set(this.backlog.drop(loss.index ?? -Infinity));
    for (const index of lost) {
      this.opts.budget?.stored(-(this.sizes.get(index) ?? 0));
      this.sizes.delete(index);
      this.cache.unwritten(index); // one without a body in memory can be served no more: its waiters are let go
    }
    this.playlists.lost(lost);
    // the next segment takes the lost one's number, unless viewers already have that number from memory
    const listed = loss.index !== undefined && this.cache.segment(loss.index) !== undefined;
    this.pipeline.suspend(listed ? undefined : loss.index);
    this.open.discard();
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

  /** The live text is served from memory at once; both playlists are queued for the disk. */
  private writePlaylists(): void {
    const window = this.window.playlist(segmentName);
    const live = this.ended ? window + ENDLIST : window;
    this.cache.setPlaylist(live);
    this.playlists.write(live, this.ended);
  }
}

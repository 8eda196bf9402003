// A recorder's playlists on disk: the live window's text and, with REPLAY, the VOD playlist of every segment stored,
// each write queued after the segments it names (WriteQueue). A newer text, or a loss, makes a queued one moot.
import { join } from 'node:path';
import { vodPlaylist, type WindowSegment } from '../hls';
import { writeFileAtomic } from './atomic-write';
import { LIVE_PLAYLIST, VOD_PLAYLIST, segmentName } from './hls-paths';
import type { RecorderFs } from './recorder-fs';
import type { WriteQueue } from './write-queue';

export class PlaylistFiles {
  /** every segment of the broadcast that is (or is being put) on disk, for the VOD playlist */
  private all: WindowSegment[] = [];
  /** bumped by every loss: playlist writes queued before it would name lost segments */
  private epoch = 0;
  private version = 0;

  constructor(private readonly dir: string, private readonly replay: boolean, private readonly queue: WriteQueue, private readonly fs: RecorderFs) {}

  /** What an earlier run of the broadcast listed comes first in the VOD playlist. */
  continueAfter(earlier: readonly WindowSegment[]): void {
    this.all = [...earlier, ...this.all];
  }

  /** A segment stored (its file queued): the next VOD text lists it. */
  add(entry: WindowSegment): void {
    this.all.push(entry);
  }

  /** Segments lost from the disk: no text names them any more, and texts queued before now are skipped. */
  lost(indexes: ReadonlySet<number>): void {
    this.epoch++;
    if (indexes.size > 0) this.all = this.all.filter((e) => !indexes.has(e.index));
  }

  /** Queues the live playlist text and (with REPLAY) the VOD one, closed with ENDLIST once `ended`. */
  write(live: string, ended: boolean): void {
    const vod = this.replay
      ? vodPlaylist({ segments: this.all.map((e) => ({ uri: segmentName(e.index), durationS: e.durationS, discontinuity: e.discontinuity })), ended })
      : null;
    const epoch = this.epoch;
    const version = ++this.version;
    this.queue.push(async () => {
      if (epoch !== this.epoch) return; // a loss since: this text names segments that are not on disk
      if (version !== this.version) return; // a newer text is queued (after its segments): a lagging disk skips to it
      await writeFileAtomic(join(this.dir, LIVE_PLAYLIST), live, this.fs);
      if (vod !== null) await writeFileAtomic(join(this.dir, VOD_PLAYLIST), vod, this.fs);
    });
  }
}

// LiveWindow: which segments the live playlist lists (nginx-rtmp hls_playlist_length), and which left it.
import { formatDuration, livePlaylist } from './playlist';
import type { PlaylistSegment } from './playlist';

export interface WindowSegment {
  index: number;
  durationS: number;
  discontinuity: boolean;
}

export class LiveWindow {
  private readonly segments: WindowSegment[] = [];
  private discontinuitySequence = 0;
  private targetDurationS = 0;

  /**
   * @param playlistLengthS keep the newest segments whose total duration reaches this (HLS_PLAYLIST_LENGTH_S)
   * @param maxSegments and never more than this many: segments cut by size from a stalled clock last a frame each
   */
  constructor(private readonly playlistLengthS: number, private readonly maxSegments = Infinity) {}

  /** Adds a completed segment; returns the segments that left the window (their files can be deleted). */
  add(seg: WindowSegment): WindowSegment[] {
    this.segments.push({ index: seg.index, durationS: seg.durationS, discontinuity: seg.discontinuity });
    // the target duration must not shrink while the playlist lives (RFC 8216 4.3.3.1)
    this.targetDurationS = Math.max(this.targetDurationS, Math.ceil(Number(formatDuration(seg.durationS))));
    // whole milliseconds, so 5.2 + 2 + 2 - 5.2 is 4 and not 3.9999999999999996
    const ms = (s: number): number => Math.round(s * 1000);
    let total = this.segments.reduce((sum, s) => sum + ms(s.durationS), 0);
    const removed: WindowSegment[] = [];
    const over = () => this.segments.length > this.maxSegments || total - ms(this.segments[0]!.durationS) >= ms(this.playlistLengthS);
    while (this.segments.length > 1 && over()) {
      const old = this.segments.shift()!;
      total -= ms(old.durationS);
      if (old.discontinuity) this.discontinuitySequence++;
      removed.push(old);
    }
    return removed;
  }

  get listed(): readonly WindowSegment[] {
    return this.segments;
  }

  /** Playlist text; `uri(index)` names a segment (e.g. "12.ts"), `uriSuffix` carries the play signature. */
  playlist(uri: (index: number) => string, uriSuffix = ''): string {
    const segments: PlaylistSegment[] = this.segments.map((s) => ({ uri: uri(s.index), durationS: s.durationS, discontinuity: s.discontinuity }));
    return livePlaylist({
      mediaSequence: this.segments[0]?.index ?? 0,
      discontinuitySequence: this.discontinuitySequence,
      targetDurationS: this.targetDurationS,
      segments,
      uriSuffix,
    });
  }
}

// The Videos page's list as a pure state machine: the library (cursor pages of GET /api/videos) or one room's
// replays (GET /api/rooms/:id/replays, one answer), both kept as the same items. The page asks `nextCursor()`,
// calls the API, and hands the answer to `acceptVideos()` / `acceptReplays()`.
import type { Replay, Video, VideoListResponse, VideoPlayUrls } from '../../typings/vod';
import { joinUrl } from './urls';

export type VideoMode = { kind: 'library' } | { kind: 'replays'; roomId: string };

export interface VideoItem {
  key: string;
  title: string;
  durationS: number;
  /** replays have no size until their MP4 is made */
  sizeBytes: number | null;
  /** ISO: a video's upload, a replay's end */
  when: string | null;
  /** a hidden replay (only its host sees it) */
  hidden: boolean;
  /** library videos get their play URLs on tap (GET /api/videos/:id/play); replays carry them */
  videoId: string | null;
  format: 'flv' | 'mp4';
  replay: { hls: string; mp4: string } | null;
}

/** What a `<video>` is given: HLS first, the MP4 once if HLS fails (null where there is no MP4 to fall back to). */
export interface PlaySources { hls: string; mp4: string | null }

export class VideoList {
  private cursor: string | null = null;
  private finished = false;
  private list: VideoItem[] = [];
  private readonly seen = new Set<string>();

  constructor(readonly mode: VideoMode) {}

  get items(): readonly VideoItem[] { return this.list; }
  get done(): boolean { return this.finished; }
  get empty(): boolean { return this.finished && this.list.length === 0; }

  /** The cursor of the next library page ('' for the first), or null when nothing is left to load. */
  nextCursor(): string | null {
    if (this.finished) return null;
    return this.cursor ?? '';
  }

  /** One library page, the answer to `sent`; a stale answer (another cursor) is ignored. */
  acceptVideos(sent: string, page: VideoListResponse): boolean {
    if (this.mode.kind !== 'library' || this.nextCursor() !== sent) return false;
    for (const v of page.videos) this.add(fromVideo(v));
    this.cursor = page.nextCursor || null;
    // a page that brings nothing new with a cursor would page forever: stop there
    this.finished = !page.nextCursor || page.videos.length === 0;
    return true;
  }

  /** A room's replays come in one answer, newest first. */
  acceptReplays(replays: readonly Replay[]): boolean {
    if (this.mode.kind !== 'replays' || this.finished) return false;
    for (const r of replays) this.add(fromReplay(r));
    this.finished = true;
    return true;
  }

  find(key: string): VideoItem | null {
    return this.list.find((x) => x.key === key) ?? null;
  }

  /** Pull-down refresh: start over. */
  reset(): void {
    this.cursor = null;
    this.finished = false;
    this.list = [];
    this.seen.clear();
  }

  private add(item: VideoItem): void {
    // a video uploaded while we page shifts the cursor's window: show each once
    if (this.seen.has(item.key)) return;
    this.seen.add(item.key);
    this.list.push(item);
  }
}

function fromVideo(v: Video): VideoItem {
  return {
    key: `v:${v.id}`, title: v.title || v.name, durationS: v.durationS, sizeBytes: v.sizeBytes, when: v.createdAt,
    hidden: !v.public, videoId: v.id, format: v.format, replay: null,
  };
}

function fromReplay(r: Replay): VideoItem {
  return {
    key: `r:${r.broadcastId}`, title: r.title, durationS: r.durationS, sizeBytes: null, when: r.endedAt ?? r.startedAt,
    hidden: !r.public, videoId: null, format: 'mp4', replay: { hls: r.hls, mp4: r.mp4 },
  };
}

/**
 * The server issues absolute URLs (PUBLIC_HTTP_URL, or the Host this client used, i.e. CONFIG.apiBase's); a
 * relative one (a proxy that rewrites, an older server) is made absolute on the API base, as `<video>` needs.
 */
export function absoluteUrl(apiBase: string, url: string): string {
  if (!url) return '';
  return /^https?:\/\//i.test(url) ? url : joinUrl(apiBase, url);
}

/** A library video's sources: an FLV original is no `<video>` fallback (it plays FLV never), an MP4 one is. */
export function videoSources(apiBase: string, play: VideoPlayUrls, format: 'flv' | 'mp4'): PlaySources {
  return { hls: absoluteUrl(apiBase, play.hls), mp4: format === 'mp4' && play.file ? absoluteUrl(apiBase, play.file) : null };
}

export function replaySources(apiBase: string, replay: { hls: string; mp4: string }): PlaySources {
  return { hls: absoluteUrl(apiBase, replay.hls), mp4: replay.mp4 ? absoluteUrl(apiBase, replay.mp4) : null };
}

/** The first source to play: HLS, or the MP4 when there is no HLS. */
export const firstSource = (s: PlaySources): string => s.hls || s.mp4 || '';

/** After `<video>` failed on `current`: the MP4 once, then null (give up and say so). */
export function sourceAfterError(s: PlaySources, current: string): string | null {
  return s.mp4 && current !== s.mp4 ? s.mp4 : null;
}

// The videos page's list: the public library in cursor pages (/videos), or one room's replays (/videos?room=<id>),
// with loading, empty, error (and retry) states and "load more"; a tapped row plays in the VideoPlayer above.
import type { RoomResponse } from '../../typings/api';
import type { ReplayListResponse, VideoListResponse } from '../../typings/vod';
import { api, ApiError } from '../shared/api';
import { byId, setAttr, setShown, setText } from '../shared/dom';
import { t, type MessageKey } from '../shared/i18n';
import { replayEntry, videoEntry, type Entry } from './entry';
import type { VideoPlayer } from './video-player';
import { videoRow } from './video-row';

/** videos per page unless the address asks for another number (?limit=, 1 to 50, as the API takes) */
export const PAGE_LIMIT = 20;

/** What the list shows; tests and CSS key off `data-state` on <main>. */
export type ListState = 'loading' | 'ready' | 'empty' | 'error' | 'missing';

export class VideosPage {
  private readonly main = byId('videos');
  private readonly heading = byId('heading');
  private readonly status = byId('status');
  private readonly list = byId('list');
  private readonly empty = byId('empty');
  private readonly error = byId('error');
  private readonly errorText = byId('error-text');
  private readonly more = byId<HTMLButtonElement>('more');
  /** the cursor of the next library page; null once the last one is in */
  private cursor: string | null = null;
  private loading = false;
  /** what Retry does: the load that failed */
  private failed: (() => Promise<void>) | null = null;

  constructor(private readonly player: VideoPlayer, private readonly roomId: string | null, private readonly limit = PAGE_LIMIT) {}

  start(): void {
    setAttr(this.main, 'data-mode', this.roomId === null ? 'library' : 'replays');
    setShown(byId('link-all'), this.roomId !== null);
    this.more.addEventListener('click', () => void this.run(() => this.loadPage(this.cursor)));
    byId('retry').addEventListener('click', () => { if (this.failed) void this.run(this.failed); });
    void this.run(this.roomId === null ? () => this.loadPage(null) : () => this.loadReplays(this.roomId!));
  }

  /** One load at a time; a failure keeps the rows already shown and offers Retry of that same load. */
  private async run(load: () => Promise<void>): Promise<void> {
    if (this.loading) return;
    this.loading = true;
    this.failed = null;
    setShown(this.error, false);
    const first = this.list.childElementCount === 0;
    if (first) this.state('loading');
    setText(this.more, t(first ? 'videos.more' : 'videos.moreLoading'));
    this.more.disabled = true;
    try {
      await load();
    } catch (err) {
      if (err instanceof ApiError && err.status === 404 && this.roomId !== null) {
        this.state('missing');
        this.showEmpty('videos.missing');
      } else {
        this.failed = load;
        this.showError(err);
      }
    } finally {
      this.loading = false;
      this.more.disabled = false;
      setText(this.more, t('videos.more'));
    }
  }

  private async loadPage(cursor: string | null): Promise<void> {
    const q = new URLSearchParams({ limit: String(this.limit) });
    if (cursor) q.set('cursor', cursor);
    const page = await api<VideoListResponse>(`/api/videos?${q}`);
    this.add(page.videos.map(videoEntry), 'videos.empty');
    this.cursor = page.nextCursor;
    setShown(this.more, this.cursor !== null);
  }

  private async loadReplays(roomId: string): Promise<void> {
    const path = `/api/rooms/${encodeURIComponent(roomId)}`;
    // the heading names the room: its title, asked alongside the list
    const [{ room }, { replays }] = await Promise.all([api<RoomResponse>(path), api<ReplayListResponse>(`${path}/replays`)]);
    setText(this.heading, t('videos.replays.heading', { title: room.title }));
    document.title = t('videos.replays.title', { title: room.title });
    this.add(replays.map(replayEntry), 'videos.replays.empty');
  }

  private add(entries: Entry[], emptyKey: MessageKey): void {
    this.list.append(...entries.map((e) => videoRow(e, (entry) => this.play(entry))));
    const none = this.list.childElementCount === 0;
    this.state(none ? 'empty' : 'ready');
    if (none) this.showEmpty(emptyKey);
    else setShown(this.empty, false);
  }

  private play(entry: Entry): void {
    for (const row of this.list.children) setAttr(row, 'aria-current', (row as HTMLElement).dataset.key === entry.key ? 'true' : null);
    void this.player.play(entry);
  }

  private showEmpty(key: MessageKey): void {
    setText(this.empty, t(key));
    setShown(this.empty, true);
  }

  private showError(err: unknown): void {
    const status = err instanceof ApiError ? err.status : 0;
    setText(this.errorText, status ? t('videos.failed', { status }) : t('videos.offline'));
    setShown(this.error, true);
    if (this.list.childElementCount === 0) this.state('error');
  }

  private state(state: ListState): void {
    setAttr(this.main, 'data-state', state);
    setShown(this.status, state === 'loading');
  }
}

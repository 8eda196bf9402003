// The admin console's videos section: every video of the library (GET /api/admin/videos, newest first, in cursor
// pages), the upload form, and each row's rename, hide/publish (PATCH) and delete (DELETE, after a confirm).
import type { Video, VideoListResponse, VideoPatchRequest } from '../../typings/vod';
import { api } from '../shared/api';
import { byId, setShown, setText } from '../shared/dom';
import { t } from '../shared/i18n';
import { Pager } from './pager';
import { videoErrorText } from './video-errors';
import { VideoUpload } from './video-upload';
import { VideosTable } from './videos-table';

const PAGE_SIZE = 20;

export class VideosView {
  private readonly empty = byId('videos-empty');
  private readonly error = byId('videos-error');
  private readonly prev = byId<HTMLButtonElement>('videos-prev');
  private readonly next = byId<HTMLButtonElement>('videos-next');
  private readonly pageLabel = byId('videos-page');
  private readonly pager = new Pager();
  private readonly table = new VideosTable(byId<HTMLTableSectionElement>('videos-body'), {
    rename: (video, title) => this.patch(video, { title }),
    setPublic: (video, visible) => void this.patch(video, { public: visible }),
    remove: (video) => void this.remove(video),
  });
  private readonly upload: VideoUpload;
  /** only the newest refresh may draw: an older answer (another page, before a change) is dropped */
  private seq = 0;
  /** a failed change stays shown until the next change; a failed refresh only until a refresh works */
  private errorOf: 'list' | 'change' | null = null;

  constructor(private readonly token: () => string | null, private readonly describe: (err: unknown) => string) {
    this.upload = new VideoUpload(token, () => this.toFirstPage(), describe);
  }

  mount(): void {
    this.upload.mount();
    setText(this.pageLabel, t('admin.page', { n: this.pager.page }));
    this.prev.addEventListener('click', () => { this.pager.back(); void this.refresh(); });
    this.next.addEventListener('click', () => { this.pager.forward(); void this.refresh(); });
  }

  /** Sign-out: an upload in flight is stopped. */
  close(): void {
    this.upload.close();
  }

  async refresh(): Promise<void> {
    const token = this.token();
    if (!token) return;
    const seq = ++this.seq;
    const q = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (this.pager.cursor) q.set('cursor', this.pager.cursor);
    try {
      const list = await api<VideoListResponse>(`/api/admin/videos?${q}`, { token });
      if (seq !== this.seq) return;
      this.pager.loaded(list.nextCursor);
      this.table.show(list.videos);
      setShown(this.empty, list.videos.length === 0);
      if (this.errorOf === 'list') this.showError(null);
    } catch (err) {
      if (seq === this.seq) this.showError(t('admin.videos.actionFailed', { message: this.describe(err) }), 'list');
    } finally {
      if (seq === this.seq) {
        this.prev.disabled = !this.pager.hasPrev;
        this.next.disabled = !this.pager.hasNext;
        setText(this.pageLabel, t('admin.page', { n: this.pager.page }));
      }
    }
  }

  /** A new upload is the newest video: it shows on the first page. */
  private toFirstPage(): void {
    this.pager.reset();
    void this.refresh();
  }

  private async patch(video: Video, change: VideoPatchRequest): Promise<boolean> {
    const token = this.token();
    if (!token) return false;
    this.table.setPending(video.id, true);
    this.showError(null);
    let ok = true;
    try {
      await api(`/api/admin/videos/${encodeURIComponent(video.id)}`, { method: 'PATCH', token, body: change });
    } catch (err) {
      ok = false;
      this.showError(t('admin.videos.actionFailed', { message: videoErrorText(err, video.name, this.describe) }));
    } finally {
      this.table.setPending(video.id, false);
    }
    await this.refresh();
    return ok;
  }

  private async remove(video: Video): Promise<void> {
    const token = this.token();
    if (!token) return;
    if (!window.confirm(t('admin.videos.deleteConfirm', { title: video.title, name: video.name }))) return;
    this.table.setPending(video.id, true);
    this.showError(null);
    try {
      await api(`/api/admin/videos/${encodeURIComponent(video.id)}`, { method: 'DELETE', token });
    } catch (err) {
      this.showError(t('admin.videos.actionFailed', { message: videoErrorText(err, video.name, this.describe) }));
    } finally {
      this.table.setPending(video.id, false);
    }
    await this.refresh();
  }

  private showError(message: string | null, of: 'list' | 'change' = 'change'): void {
    this.errorOf = message === null ? null : of;
    setText(this.error, message ?? '');
    setShown(this.error, message !== null);
  }
}

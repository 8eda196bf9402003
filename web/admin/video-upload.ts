// The upload form of the videos section: a file, its name on the server (taken from the file, checked here against
// the server's own pattern so a bad name never costs an upload), a <progress> fed by the upload's byte count, Cancel.
import { VIDEO_NAME_PATTERN, type Video } from '../../typings/vod';
import { ApiError } from '../shared/api';
import { byId, setShown, setText } from '../shared/dom';
import { t } from '../shared/i18n';
import { videoErrorText } from './video-errors';
import { putVideo, type VideoPut } from './video-put';

export class VideoUpload {
  private readonly form = byId<HTMLFormElement>('video-upload');
  private readonly file = byId<HTMLInputElement>('video-file');
  private readonly name = byId<HTMLInputElement>('video-name');
  private readonly start = byId<HTMLButtonElement>('video-upload-start');
  private readonly cancel = byId<HTMLButtonElement>('video-upload-cancel');
  private readonly progress = byId<HTMLProgressElement>('video-progress');
  private readonly status = byId('video-upload-status');
  private readonly error = byId('video-upload-error');
  private current: VideoPut | null = null;

  constructor(
    private readonly token: () => string | null,
    private readonly onUploaded: (video: Video) => void,
    private readonly describe: (err: unknown) => string,
  ) {}

  mount(): void {
    this.file.addEventListener('change', () => {
      const picked = this.file.files?.[0];
      if (picked) this.name.value = picked.name;
      this.check();
    });
    this.name.addEventListener('input', () => this.check());
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.send();
    });
    this.cancel.addEventListener('click', () => this.current?.abort());
  }

  /** Stops an upload in flight (sign-out): the server drops the part it got. */
  close(): void {
    this.current?.abort();
  }

  /** Shows whether the name would be taken; true when it would. */
  private check(): boolean {
    const name = this.name.value.trim();
    const ok = name === '' || VIDEO_NAME_PATTERN.test(name);
    this.name.setCustomValidity(ok ? '' : t('admin.videos.badName', { name }));
    this.showError(ok ? null : t('admin.videos.badName', { name }));
    this.start.disabled = !ok || this.current !== null;
    return ok && name !== '';
  }

  private send(): void {
    const token = this.token();
    const file = this.file.files?.[0];
    if (!token || this.current) return;
    if (!file) {
      this.showError(t('admin.videos.noFile'));
      return;
    }
    if (!this.check()) return;
    const name = this.name.value.trim();
    this.progress.max = Math.max(file.size, 1);
    this.progress.value = 0;
    setShown(this.progress, true);
    this.showStatus(t('admin.videos.uploading', { name, percent: 0 }));
    const put = putVideo(name, file, token, ({ loaded, total }) => {
      this.progress.max = Math.max(total, 1);
      this.progress.value = loaded;
      this.showStatus(t('admin.videos.uploading', { name, percent: Math.floor((loaded / Math.max(total, 1)) * 100) }));
    }, () => this.showStatus(t('admin.videos.checking', { name }))); // the server probes the file before it answers
    this.busy(put);
    put.done.then((video) => {
      this.progress.value = this.progress.max;
      this.showStatus(t('admin.videos.uploaded', { name: video.name }));
      this.form.reset();
      this.onUploaded(video);
    }, (err: unknown) => {
      setShown(this.progress, false);
      if (err instanceof ApiError && err.code === 'aborted') {
        this.showStatus(t('admin.videos.cancelled', { name }));
        return;
      }
      this.showStatus(null);
      this.showError(t('admin.videos.failed', { name, message: videoErrorText(err, name, this.describe) }));
    }).finally(() => this.busy(null));
  }

  /** While one upload runs, the form waits: one at a time keeps the progress bar about one file. */
  private busy(put: VideoPut | null): void {
    this.current = put;
    this.file.disabled = put !== null;
    this.name.disabled = put !== null;
    this.start.disabled = put !== null;
    setShown(this.cancel, put !== null);
    if (put) this.showError(null);
  }

  private showStatus(text: string | null): void {
    setText(this.status, text ?? '');
    setShown(this.status, text !== null);
  }

  private showError(text: string | null): void {
    setText(this.error, text ?? '');
    setShown(this.error, text !== null);
  }
}

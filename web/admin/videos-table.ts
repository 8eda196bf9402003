// The videos table: one row per video id, created once and updated cell by cell (refreshes never flicker and never
// disturb a title being edited), with Rename (inline), Hide/Publish and Delete.
import type { Video } from '../../typings/vod';
import { el, placeRows, setAttr, setShown, setText } from '../shared/dom';
import { formatBytes } from '../shared/format';
import { t } from '../shared/i18n';

export interface VideoActions {
  rename(video: Video, title: string): Promise<boolean>;
  setPublic(video: Video, visible: boolean): void;
  remove(video: Video): void;
}

interface Row {
  video: Video;
  tr: HTMLTableRowElement;
  title: HTMLElement;
  name: HTMLElement;
  renameForm: HTMLFormElement;
  titleInput: HTMLInputElement;
  duration: HTMLElement;
  codecs: HTMLElement;
  resolution: HTMLElement;
  size: HTMLElement;
  visibility: HTMLElement;
  rename: HTMLButtonElement;
  toggle: HTMLButtonElement;
  remove: HTMLButtonElement;
}

export class VideosTable {
  private readonly rows = new Map<string, Row>();
  /** videos with a change in flight: their buttons stay disabled across refreshes */
  private readonly pending = new Set<string>();

  constructor(private readonly body: HTMLTableSectionElement, private readonly actions: VideoActions) {}

  show(videos: Video[]): void {
    placeRows(this.body, this.rows, videos, {
      key: (video) => video.id, node: (row) => row.tr, make: (video) => this.create(video),
      update: (row, video) => {
        row.video = video;
        this.update(row);
      },
    });
  }

  setPending(id: string, pending: boolean): void {
    if (pending) this.pending.add(id);
    else this.pending.delete(id);
    const row = this.rows.get(id);
    if (row) this.update(row);
  }

  private create(video: Video): Row {
    const cell = (label: string, ...children: Node[]) => {
      const td = el('td', '', '', ...children);
      td.dataset.label = label; // the phone layout shows the label beside the value
      return td;
    };
    const button = (cls: string, text: string) => {
      const b = el('button', cls, text);
      b.type = 'button';
      return b;
    };
    const title = el('span', 'video-title');
    const name = el('code', 'video-name');
    const titleInput = el('input', 'video-title-input');
    titleInput.maxLength = 100; // the API's limit
    titleInput.required = true;
    const save = el('button', 'video-save', t('admin.videos.save'));
    save.type = 'submit';
    const keep = button('video-keep', t('admin.videos.keep'));
    const renameForm = el('form', 'video-rename', '', titleInput, save, keep);
    renameForm.hidden = true;
    const [duration, codecs, resolution, size] = [0, 1, 2, 3].map(() => el('span', 'num'));
    const visibility = el('span', 'pill');
    const rename = button('video-rename-button', t('admin.videos.rename'));
    const toggle = button('video-toggle', '');
    const remove = button('video-delete end', t('admin.videos.delete'));
    const tr = el('tr', 'video-row', '',
      cell(t('admin.videos.col.video'), title, renameForm, name),
      cell(t('admin.videos.col.duration'), duration!),
      cell(t('admin.videos.col.codecs'), codecs!),
      cell(t('admin.videos.col.resolution'), resolution!),
      cell(t('admin.videos.col.size'), size!),
      cell(t('admin.videos.col.visibility'), visibility),
      cell('', el('span', 'actions', '', rename, toggle, remove)),
    );
    tr.dataset.id = video.id;
    const row: Row = { video, tr, title, name, renameForm, titleInput, duration: duration!, codecs: codecs!,
      resolution: resolution!, size: size!, visibility, rename, toggle, remove };

    rename.addEventListener('click', () => this.editing(row, true));
    keep.addEventListener('click', () => this.editing(row, false));
    titleInput.addEventListener('keydown', (e) => { if (e.key === 'Escape') this.editing(row, false); });
    renameForm.addEventListener('submit', (e) => {
      e.preventDefault();
      const wanted = titleInput.value.trim();
      if (!wanted || wanted === row.video.title) {
        this.editing(row, false);
        return;
      }
      void this.actions.rename(row.video, wanted).then((ok) => { if (ok) this.editing(row, false); });
    });
    toggle.addEventListener('click', () => this.actions.setPublic(row.video, !row.video.public));
    remove.addEventListener('click', () => this.actions.remove(row.video));
    this.rows.set(video.id, row);
    return row;
  }

  private editing(row: Row, on: boolean): void {
    if (on) row.titleInput.value = row.video.title;
    setShown(row.renameForm, on);
    setShown(row.title, !on);
    setShown(row.rename, !on);
    if (on) {
      row.titleInput.focus();
      row.titleInput.select();
    } else if (row.tr.contains(document.activeElement)) row.rename.focus();
  }

  private update(row: Row): void {
    const { video } = row;
    setText(row.title, video.title);
    setText(row.name, video.name);
    setAttr(row.titleInput, 'aria-label', t('admin.videos.titleLabel', { name: video.name }));
    setText(row.duration, clock(video.durationS));
    setText(row.codecs, codecs(video));
    setText(row.resolution, video.video ? `${video.video.width}×${video.video.height}` : t('none'));
    setText(row.size, formatBytes(video.sizeBytes));
    setAttr(row.size, 'title', `${video.sizeBytes} B`);
    setAttr(row.tr, 'data-public', String(video.public));
    setAttr(row.visibility, 'data-public', String(video.public));
    setText(row.visibility, video.public ? t('admin.videos.public') : t('admin.videos.hidden'));
    const pending = this.pending.has(video.id);
    row.rename.disabled = pending;
    row.toggle.disabled = pending;
    row.remove.disabled = pending;
    setText(row.toggle, video.public ? t('admin.videos.hide') : t('admin.videos.publish'));
    setAttr(row.rename, 'aria-label', t('admin.videos.renameLabel', { title: video.title }));
    setAttr(row.toggle, 'aria-label', t(video.public ? 'admin.videos.hideLabel' : 'admin.videos.publishLabel', { title: video.title }));
    setAttr(row.remove, 'aria-label', t('admin.videos.deleteLabel', { title: video.title }));
  }
}

/** 0:03, 12:34, 1:02:03: a video's length the way players show it */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const two = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${two(m)}:${two(s % 60)}` : `${m}:${two(s % 60)}`;
}

const CODEC_NAMES: Record<string, string> = { h264: 'H.264', aac: 'AAC' };

function codecs(video: Video): string {
  const names = [video.video, video.audio].filter((s) => s !== null).map((s) => CODEC_NAMES[s!.codec] ?? s!.codec);
  return names.length > 0 ? names.join(' + ') : t('none');
}

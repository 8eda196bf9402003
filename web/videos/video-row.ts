// One entry in the list: a button that plays it (length on the thumbnail, title, date and size) and, for a
// replay, a link that downloads its MP4.
import { el } from '../shared/dom';
import { formatBytes, formatDateTime } from '../shared/format';
import { t } from '../shared/i18n';
import { formatClockDuration } from './clock';
import type { Entry } from './entry';

/** The date, and the size when known. */
export function entryMeta(entry: Entry): string[] {
  return [formatDateTime(entry.at), ...(entry.sizeBytes === null ? [] : [formatBytes(entry.sizeBytes)])];
}

export function videoRow(entry: Entry, onPlay: (entry: Entry) => void): HTMLLIElement {
  const thumb = el('span', 'video-thumb', '',
    el('span', 'video-initial', [...entry.title.trim()][0] ?? '·'),
    el('span', 'video-duration', formatClockDuration(entry.durationS)));
  const text = el('span', 'video-text', '',
    el('span', 'video-title', entry.title),
    el('span', 'video-meta', entryMeta(entry).join(' · ')));
  const open = el('button', 'video-open', '', thumb, text);
  open.type = 'button';
  open.addEventListener('click', () => onPlay(entry));
  const row = el('li', 'video-row', '', open);
  row.dataset.key = entry.key;
  if (entry.download) {
    const link = el('a', 'video-download', t('videos.download'));
    link.href = entry.download;
    link.download = ''; // same-origin: saved under the server's name rather than opened
    link.setAttribute('aria-label', t('videos.download.label', { title: entry.title }));
    row.appendChild(link);
  }
  return row;
}

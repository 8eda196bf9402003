// What one row of the Videos page shows: the title, the duration as m:ss (h:mm:ss past an hour) and a line of
// size, date and visibility, in the phone's language.
import { formatClock, formatDuration } from './format';
import { locale, t, type Locale } from './i18n';
import type { VideoItem } from './video-list';

export interface VideoRow {
  key: string;
  title: string;
  duration: string;
  meta: string;
  hidden: boolean;
}

/** Bytes → "512 B", "850 KB", "1.2 MB", "2.0 GB" (binary steps; the same units in both languages). */
export function formatSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '0 B';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u += 1; }
  // one decimal below 10 ("1.2 MB"), none above ("57 MB"); bytes are whole
  const shown = u === 0 ? String(Math.floor(v)) : v < 10 ? v.toFixed(1) : String(Math.round(v));
  return `${shown} ${units[u]}`;
}

export function toVideoRow(item: VideoItem, now: number, lang: Locale = locale()): VideoRow {
  const parts: string[] = [];
  if (item.sizeBytes !== null) parts.push(formatSize(item.sizeBytes));
  const when = formatClock(item.when, now, lang);
  if (when) parts.push(when);
  if (item.hidden) parts.push(t('videos.hidden', {}, lang));
  return { key: item.key, title: item.title, duration: formatDuration(item.durationS), meta: parts.join(' · '), hidden: item.hidden };
}

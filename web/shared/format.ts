// Human-readable numbers for the pages: bitrates, byte counts, durations, counts, times, in the page's locale.
import { locale, t, type Locale } from './i18n';

export function formatBitrate(bps: number): string {
  if (!Number.isFinite(bps) || bps <= 0) return t('none');
  if (bps >= 1e6) return `${(bps / 1e6).toFixed(2)} Mbps`;
  if (bps >= 1e3) return `${Math.round(bps / 1e3)} kbps`;
  return `${Math.round(bps)} bps`;
}

export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n <= 0) return '0 B';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${i === 0 ? n : n.toFixed(1)} ${units[i]}`;
}

const two = (n: number) => String(n).padStart(2, '0');

/** 45s, 3m 05s, 2h 07m, 3d 4h (en); 45秒, 3分05秒, 2小时07分, 3天4小时 (zh-CN) */
export function formatDuration(seconds: number, lang: Locale = locale()): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return t('duration.s', { s }, lang);
  if (s < 3600) return t('duration.ms', { m: Math.floor(s / 60), s: two(s % 60) }, lang);
  if (s < 86400) return t('duration.hm', { h: Math.floor(s / 3600), m: two(Math.floor((s % 3600) / 60)) }, lang);
  return t('duration.dh', { d: Math.floor(s / 86400), h: Math.floor((s % 86400) / 3600) }, lang);
}

/** Seconds from an ISO time until now (0 when missing or in the future). */
export function secondsSince(iso: string | null | undefined, now = Date.now()): number {
  if (!iso) return 0;
  const at = Date.parse(iso);
  return Number.isNaN(at) ? 0 : Math.max(0, (now - at) / 1000);
}

/** Viewer counts the locale's way: 1.2K, 57K, 2.5M in en; 1234, 1.2万, 250万 in zh-CN. */
export function formatCount(n: number, lang: Locale = locale()): string {
  return new Intl.NumberFormat(lang, { notation: 'compact', maximumFractionDigits: 1 }).format(n);
}

/** 14:05 / 2:05 PM */
export function formatClock(iso: string, lang: Locale = locale()): string {
  return new Date(iso).toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' });
}

/** A date and time, e.g. 2026/12/2 14:05:09 or 12/2/2026, 2:05:09 PM */
export function formatDateTime(value: string | number | Date, lang: Locale = locale()): string {
  return new Date(value).toLocaleString(lang);
}

export function formatTime(value: string | number | Date, lang: Locale = locale()): string {
  return new Date(value).toLocaleTimeString(lang);
}

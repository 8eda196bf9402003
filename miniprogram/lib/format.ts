// Display formatting for the current language: viewer counts (1.2k / 1.2万), bitrates, durations, clock times.
import { locale, t, type Locale } from './i18n';

/**
 * en: 999 → "999", 1234 → "1.2k", 56789 → "56k", 1234567 → "1.2M".
 * zh-CN counts in 万 (10⁴) and 亿 (10⁸): 9999 → "9999", 12345 → "1.2万", 123456789 → "1.2亿".
 */
export function formatCount(n: number, lang: Locale = locale()): string {
  if (!Number.isFinite(n) || n < 0) return '0';
  const v = Math.floor(n);
  if (lang === 'zh-CN') {
    if (v < 1e4) return String(v);
    if (v < 1e8) return compact(v / 1e4, '万');
    return compact(v / 1e8, '亿');
  }
  if (v < 1000) return String(v);
  if (v < 1e6) return compact(v / 1000, 'k');
  return compact(v / 1e6, 'M');
}

function compact(x: number, unit: string): string {
  // one decimal below 10 ("1.2k"), none above ("57k"); floor so we never overstate an audience
  const shown = x < 10 ? Math.floor(x * 10) / 10 : Math.floor(x);
  return `${shown}${unit}`;
}

/** "12 watching" / "12人在看" — the live badge text. */
export function formatViewers(n: number, lang: Locale = locale()): string {
  return t('format.viewers', { n: formatCount(n, lang) }, lang);
}

/** kbps → "850 kbps" / "1.2 Mbps" (the same units in both languages). */
export function formatBitrate(kbps: number): string {
  if (!Number.isFinite(kbps) || kbps <= 0) return '0 kbps';
  // compare after rounding: 999.6 is "1.0 Mbps", not "1000 kbps"
  if (Math.round(kbps) < 1000) return `${Math.round(kbps)} kbps`;
  return `${(kbps / 1000).toFixed(1)} Mbps`;
}

/** Seconds → "0:07", "12:34", "1:02:03". */
export function formatDuration(totalS: number): string {
  const t0 = Math.max(0, Math.floor(Number.isFinite(totalS) ? totalS : 0));
  const h = Math.floor(t0 / 3600);
  const m = Math.floor((t0 % 3600) / 60);
  const sec = t0 % 60;
  return h > 0 ? `${h}:${pad(m)}:${pad(sec)}` : `${m}:${pad(sec)}`;
}

const pad = (x: number) => (x < 10 ? `0${x}` : String(x));
const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A moment on the phone's clock: "14:05" on the same day as `now`; otherwise zh-CN "11月25日 14:05",
 * en "25 Nov 14:05"; with the year when it is not this year's. "" for a bad date.
 */
export function formatClock(iso: string | null, now: number, lang: Locale = locale()): string {
  const ms = iso ? Date.parse(iso) : NaN;
  if (!Number.isFinite(ms)) return '';
  const d = new Date(ms);
  const today = new Date(now);
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  const sameYear = d.getFullYear() === today.getFullYear();
  if (sameYear && d.getMonth() === today.getMonth() && d.getDate() === today.getDate()) return time;
  if (lang === 'zh-CN') return `${sameYear ? '' : `${d.getFullYear()}年`}${d.getMonth() + 1}月${d.getDate()}日 ${time}`;
  return `${d.getDate()} ${EN_MONTHS[d.getMonth()]}${sameYear ? '' : ` ${d.getFullYear()}`} ${time}`;
}

/** How long a room has been live, from its ISO `startedAt`; "" when it has not started. */
export function liveFor(startedAt: string | null, now: number): string {
  if (!startedAt) return '';
  const ms = Date.parse(startedAt);
  return Number.isFinite(ms) ? formatDuration((now - ms) / 1000) : '';
}

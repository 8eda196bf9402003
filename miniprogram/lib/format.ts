// Display formatting: viewer counts, bitrates, durations.

/** 999 → "999", 1234 → "1.2k", 56789 → "57k", 1234567 → "1.2M". */
export function formatCount(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '0';
  const v = Math.floor(n);
  if (v < 1000) return String(v);
  if (v < 1e6) return compact(v / 1000, 'k');
  return compact(v / 1e6, 'M');
}

function compact(x: number, unit: string): string {
  // one decimal below 10 ("1.2k"), none above ("57k"); floor so we never overstate an audience
  const shown = x < 10 ? Math.floor(x * 10) / 10 : Math.floor(x);
  return `${shown}${unit}`;
}

/** "12 watching" / "1 watching" — the live badge text. */
export function formatViewers(n: number): string {
  return `${formatCount(n)} watching`;
}

/** kbps → "850 kbps" / "1.2 Mbps". */
export function formatBitrate(kbps: number): string {
  if (!Number.isFinite(kbps) || kbps <= 0) return '0 kbps';
  // compare after rounding: 999.6 is "1.0 Mbps", not "1000 kbps"
  if (Math.round(kbps) < 1000) return `${Math.round(kbps)} kbps`;
  return `${(kbps / 1000).toFixed(1)} Mbps`;
}

/** Seconds → "0:07", "12:34", "1:02:03". */
export function formatDuration(totalS: number): string {
  const t = Math.max(0, Math.floor(Number.isFinite(totalS) ? totalS : 0));
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const sec = t % 60;
  const pad = (x: number) => (x < 10 ? `0${x}` : String(x));
  return h > 0 ? `${h}:${pad(m)}:${pad(sec)}` : `${m}:${pad(sec)}`;
}

/** How long a room has been live, from its ISO `startedAt`; "" when it has not started. */
export function liveFor(startedAt: string | null, now: number): string {
  if (!startedAt) return '';
  const t = Date.parse(startedAt);
  return Number.isFinite(t) ? formatDuration((now - t) / 1000) : '';
}

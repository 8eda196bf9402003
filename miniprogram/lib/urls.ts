// URL handling: API paths with query strings, page routes, the watch link, and play-source choice.
import type { PlayUrls } from '../../typings/api';

export type QueryValue = string | number | boolean | null | undefined;

/** `{a: 1, b: undefined, c: 'x y'}` → "?a=1&c=x%20y"; "" when nothing is left. */
export function buildQuery(params: Readonly<Record<string, QueryValue>>): string {
  const parts: string[] = [];
  for (const key of Object.keys(params)) {
    const v = params[key];
    if (v === undefined || v === null || v === '') continue;
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(v))}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

/** Joins a base ("https://x.com/", "https://x.com/api") and a path ("/api/rooms") with exactly one slash. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** A room id as a safe path segment (ids are base62, but a bad link must not escape the path). */
export function roomPath(id: string, suffix = ''): string {
  return `/api/rooms/${encodeURIComponent(id)}${suffix}`;
}

export type PageName = 'rooms' | 'host' | 'audience';

/** "/pages/audience/index?id=abc" for wx.navigateTo and share paths. */
export function pageUrl(page: PageName, params: Readonly<Record<string, QueryValue>> = {}): string {
  return `/pages/${page}/index${buildQuery(params)}`;
}

/** The H5 watch page of a room (served by the wxlive server), for sharing outside WeChat. */
export function watchLink(apiBase: string, roomId: string): string {
  return joinUrl(apiBase, `/watch/${encodeURIComponent(roomId)}`);
}

export type PlayKind = 'flv' | 'rtmp';

/** live-player takes flv or rtmp (never HLS). FLV first; RTMP after `flvFailures` reaches `fallbackAfter`. */
export function chooseSource(play: PlayUrls, flvFailures: number, fallbackAfter = 2): { kind: PlayKind; src: string } {
  if (flvFailures >= fallbackAfter && play.rtmp) return { kind: 'rtmp', src: play.rtmp };
  return { kind: 'flv', src: play.flv };
}

/** The query string of a URL as a record (first value wins); tolerant of a missing "?". */
export function parseQuery(url: string): Record<string, string> {
  const q = url.indexOf('?');
  const out: Record<string, string> = {};
  if (q < 0) return out;
  for (const part of url.slice(q + 1).split('#')[0].split('&')) {
    const eq = part.indexOf('=');
    const key = safeDecode(eq < 0 ? part : part.slice(0, eq));
    // own keys only: `key in out` also sees inherited names, so "constructor" or "toString" were dropped
    if (key && !Object.prototype.hasOwnProperty.call(out, key)) out[key] = safeDecode(eq < 0 ? '' : part.slice(eq + 1));
  }
  return out;
}

function safeDecode(s: string): string {
  try { return decodeURIComponent(s.replace(/\+/g, ' ')); } catch { return s; }
}

/** Seconds until an ISO expiry (negative when past); NaN-safe (a bad date counts as expired). */
export function secondsUntil(iso: string, now: number): number {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? Math.floor((t - now) / 1000) : -1;
}

/** The room's chat socket, on the API's own host: http → ws, https → wss (the token goes in a frame, never here). */
export function socketUrl(apiBase: string, roomId: string): string {
  return joinUrl(apiBase.replace(/^http(s?):\/\//i, (_m, s: string) => `ws${s}://`), roomPath(roomId, '/socket'));
}

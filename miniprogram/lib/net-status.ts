// live-pusher / live-player `netstatus` detail.info (miniprogram-api-typings types it wrongly as a string
// union) and the compact overlay line built from it.
import { formatBitrate } from './format';

/** What the SDK really sends in `bindnetstatus` → `event.detail.info`; every field may be missing. */
export interface LiveNetStatus {
  /** kbps */
  videoBitrate?: number;
  /** kbps */
  audioBitrate?: number;
  videoFPS?: number;
  /** seconds between keyframes */
  videoGOP?: number;
  /** kbps actually moving on the network */
  netSpeed?: number;
  netJitter?: number;
  videoWidth?: number;
  videoHeight?: number;
}

const FIELDS: ReadonlyArray<keyof LiveNetStatus> = [
  'videoBitrate', 'audioBitrate', 'videoFPS', 'videoGOP', 'netSpeed', 'netJitter', 'videoWidth', 'videoHeight',
];

/** Keeps only finite numbers (Android sends some fields as strings, some builds send NaN). */
export function readNetStatus(detail: unknown): LiveNetStatus {
  const info = detail && typeof detail === 'object' ? (detail as { info?: unknown }).info : undefined;
  const out: LiveNetStatus = {};
  if (!info || typeof info !== 'object') return out;
  for (const key of FIELDS) {
    const raw = (info as Record<string, unknown>)[key];
    const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    if (typeof n === 'number' && Number.isFinite(n)) out[key] = n;
  }
  return out;
}

/** One short line for the overlay: "1.2 Mbps · 25 fps · 1280×720 · ↑1.3 Mbps". Empty when nothing is known. */
export function netStatusLine(ns: LiveNetStatus, speedArrow = '↑'): string {
  const parts: string[] = [];
  const bitrate = (ns.videoBitrate ?? 0) + (ns.audioBitrate ?? 0);
  if (ns.videoBitrate !== undefined || ns.audioBitrate !== undefined) parts.push(formatBitrate(bitrate));
  if (ns.videoFPS !== undefined) parts.push(`${Math.round(ns.videoFPS)} fps`);
  if (ns.videoWidth && ns.videoHeight) parts.push(`${ns.videoWidth}×${ns.videoHeight}`);
  if (ns.netSpeed !== undefined) parts.push(`${speedArrow}${formatBitrate(ns.netSpeed)}`);
  return parts.join(' · ');
}

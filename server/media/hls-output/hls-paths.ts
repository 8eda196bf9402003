// Where HLS files live under DATA_DIR, and the only names requests may reach (no traversal by design:
// every path is built from validated ids, never from a raw request path).
import { join } from 'node:path';
import { BROADCAST_ID_PATTERN, ROOM_ID_PATTERN } from '../../rooms/ids';

export const LIVE_PLAYLIST = 'live.m3u8';
export const VOD_PLAYLIST = 'index.m3u8';
const SEGMENT_PATTERN = /^(\d{1,9})\.ts$/;

export function broadcastDir(root: string, roomId: string, broadcastId: string): string {
  return join(root, roomId, broadcastId);
}

export function segmentName(index: number): string {
  return `${index}.ts`;
}

/** The segment index named by a request's file part, or null for anything else. */
export function segmentIndex(file: string): number | null {
  const m = SEGMENT_PATTERN.exec(file);
  return m ? Number(m[1]) : null;
}

export const isRoomId = (s: string): boolean => ROOM_ID_PATTERN.test(s);
export const isBroadcastId = (s: string): boolean => BROADCAST_ID_PATTERN.test(s);

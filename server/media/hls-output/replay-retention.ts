// Replay housekeeping: a broadcast's files are kept until its room is deleted or the retention passes.
// All of it off the event loop (fs/promises): a sweep over a large DATA_DIR must not stall viewers or the API.
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { RoomRecord } from '../../store/room-store';
import { isBroadcastId, isRoomId } from './hls-paths';

export interface RetentionOptions {
  root: string;
  /** REPLAY=off: nothing outlives its broadcast */
  replay: boolean;
  /** 0 keeps replays until the room is deleted */
  retentionDays: number;
  findRoom(id: string): Promise<RoomRecord | null>;
  log: Logger;
  now?: () => number;
}

/** a folder's names; none when it is absent (or was removed meanwhile) */
export const listDir = (dir: string): Promise<string[]> => readdir(dir).catch(() => []);
const list = listDir;

/** a folder removed meanwhile (room deletion runs concurrently) counts as infinitely old: it is gone anyway */
const mtimeOf = (dir: string): Promise<number> => stat(dir).then((s) => s.mtimeMs, () => 0);

/** One pass over DATA_DIR/hls; returns the broadcast folders it removed. */
export async function sweepReplays(o: RetentionOptions): Promise<string[]> {
  const now = (o.now ?? Date.now)();
  const removed: string[] = [];
  for (const roomId of (await list(o.root)).filter(isRoomId)) {
    const room = await o.findRoom(roomId);
    for (const broadcastId of (await list(join(o.root, roomId))).filter(isBroadcastId)) {
      const dir = join(o.root, roomId, broadcastId);
      const current = room?.status !== 'ended' && room?.broadcastId === broadcastId;
      const expired = !o.replay || (o.retentionDays > 0 && now - await mtimeOf(dir) > o.retentionDays * 86_400_000);
      if (!room || (expired && !current)) {
        await rm(dir, { recursive: true, force: true });
        removed.push(dir);
      }
    }
    if (!room) await rm(join(o.root, roomId), { recursive: true, force: true });
  }
  if (removed.length) o.log.info({ removed: removed.length }, 'replays removed');
  return removed;
}

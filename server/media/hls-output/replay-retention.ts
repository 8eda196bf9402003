// Replay housekeeping: a broadcast's files are kept until its room is deleted or the retention passes.
import { readdirSync, rmSync, statSync } from 'node:fs';
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

const list = (dir: string): string[] => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};

/** One pass over DATA_DIR/hls; returns the broadcast folders it removed. */
export async function sweepReplays(o: RetentionOptions): Promise<string[]> {
  const now = (o.now ?? Date.now)();
  const removed: string[] = [];
  for (const roomId of list(o.root).filter(isRoomId)) {
    const room = await o.findRoom(roomId);
    for (const broadcastId of list(join(o.root, roomId)).filter(isBroadcastId)) {
      const dir = join(o.root, roomId, broadcastId);
      const current = room?.status !== 'ended' && room?.broadcastId === broadcastId;
      const expired = !o.replay || (o.retentionDays > 0 && now - statSync(dir).mtimeMs > o.retentionDays * 86_400_000);
      if (!room || (expired && !current)) {
        rmSync(dir, { recursive: true, force: true });
        removed.push(dir);
      }
    }
    if (!room) rmSync(join(o.root, roomId), { recursive: true, force: true });
  }
  if (removed.length) o.log.info({ removed: removed.length }, 'replays removed');
  return removed;
}

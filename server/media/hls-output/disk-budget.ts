// Disk limits of HLS recording: byte quotas per broadcast, per room and in total over the segments under the HLS
// root, and a free-space watermark under DATA_DIR. Usage is counted from disk (at start and after each replay
// sweep) and kept current by the recorders; free space is asked of the file system at most once a second, in the
// background (statfs off the event loop), and answered from the last reading less what was written since.
import { readdir, stat, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { isBroadcastId, isRoomId, segmentIndex } from './hls-paths';

/** Why a publish is refused or a recording stops (log, metrics and RTMP refusal reason). */
export type DiskRefusal = 'disk_low' | 'replay_quota_broadcast' | 'replay_quota_room' | 'replay_quota_total';

export interface DiskLimits {
  maxBroadcastBytes: number;
  maxRoomBytes: number;
  maxTotalBytes: number;
  /** below this many free bytes nothing new is recorded or admitted (0: no watermark, only write errors pause) */
  minFreeBytes: number;
}

export interface DiskBudgetOptions extends DiskLimits {
  /** the HLS root: DATA_DIR/hls/<room>/<broadcast>/<n>.ts */
  root: string;
  /** folders whose file systems must keep minFreeBytes free (DATA_DIR, and the HLS root should it be mounted apart) */
  watched: string[];
  /** free bytes of a folder's file system; statfs by default (tests hand in a disk that fills up, answering at once) */
  freeBytes?: (dir: string) => number | Promise<number>;
  /** after a write error, recording resumes only with this much room above minFreeBytes (default 16 MiB) */
  resumeMarginBytes?: number;
  now?: () => number;
}

/** What one recorder asks and tells the budget. */
export interface BroadcastBudget {
  /**
   * Why `newBytes` more may not be written for this broadcast, or null. `unstoredBytes`: what the broadcast's
   * files will hold beyond its stored segments once they are written (the new bytes included).
   */
  refusal(newBytes: number, unstoredBytes: number): DiskRefusal | null;
  /** bytes appended to a file (the free-space estimate drops until the next statfs) */
  wrote(bytes: number): void;
  /** a segment file of this many bytes is in place (negative: one was deleted) */
  stored(bytes: number): void;
  /** after a failed write: whether there is room again (asks the file system now) */
  spaceBack(): boolean;
}

const FREE_CHECK_MS = 1000;
/** a few segments */
const RESUME_MARGIN_BYTES = 16 * 1024 * 1024;

export async function statfsFreeBytes(dir: string): Promise<number> {
  const s = await statfs(dir);
  return s.bavail * s.bsize;
}

export class DiskBudget {
  private usage = new Map<string, Map<string, number>>();
  private total = 0;
  /** rooms (and all of them, with the total) whose recording a quota stopped: full even a little under the quota */
  private readonly fullRooms = new Set<string>();
  private totalFull = false;
  /** the last reading of free space (nothing is refused by the watermark before the first one lands) */
  private free = Infinity;
  private freeAt = -Infinity;
  private writtenSinceCheck = 0;
  /** a reading under way */
  private reading: Promise<void> | null = null;
  private readonly freeBytesOf: (dir: string) => number | Promise<number>;
  private readonly now: () => number;

  constructor(private readonly opts: DiskBudgetOptions) {
    this.freeBytesOf = opts.freeBytes ?? statfsFreeBytes;
    this.now = opts.now ?? Date.now;
    if (opts.minFreeBytes > 0) void this.refresh();
  }

  /**
   * Recounts the segments on disk (after files were removed behind our back, e.g. by the replay sweep), and reads
   * the free space afresh. Exact up to the segments stored while it runs.
   */
  async rescan(): Promise<void> {
    if (this.opts.minFreeBytes > 0) {
      this.freeAt = -Infinity;
      await this.refresh();
    }
    const usage = new Map<string, Map<string, number>>();
    let total = 0;
    for (const roomId of (await list(this.opts.root)).filter(isRoomId)) {
      const room = new Map<string, number>();
      for (const broadcastId of (await list(join(this.opts.root, roomId))).filter(isBroadcastId)) {
        const dir = join(this.opts.root, roomId, broadcastId);
        let bytes = 0;
        for (const file of (await list(dir)).filter((f) => segmentIndex(f) !== null)) bytes += await sizeOf(join(dir, file));
        room.set(broadcastId, bytes);
        total += bytes;
      }
      usage.set(roomId, room);
    }
    this.usage = usage;
    this.total = total;
    this.fullRooms.clear();
    this.totalFull = false;
  }

  /** Why a new publish to this room is refused, or null. */
  admit(roomId: string): DiskRefusal | null {
    if (this.belowWatermark(0)) return 'disk_low';
    if (this.totalFull || this.total >= this.opts.maxTotalBytes) return 'replay_quota_total';
    if (this.fullRooms.has(roomId) || this.roomBytes(roomId) >= this.opts.maxRoomBytes) return 'replay_quota_room';
    return null;
  }

  /** The room's replays are gone (room deleted). */
  forgetRoom(roomId: string): void {
    this.total -= this.roomBytes(roomId);
    this.usage.delete(roomId);
    this.fullRooms.delete(roomId);
    this.totalFull = false;
  }

  /** Bytes of segments on disk: one broadcast, one room or (no arguments) all. */
  used(roomId?: string, broadcastId?: string): number {
    if (roomId === undefined) return this.total;
    if (broadcastId === undefined) return this.roomBytes(roomId);
    return this.usage.get(roomId)?.get(broadcastId) ?? 0;
  }

  forBroadcast(roomId: string, broadcastId: string): BroadcastBudget {
    return {
      refusal: (bytes, unstored) => this.writeRefusal(roomId, broadcastId, bytes, unstored),
      wrote: (bytes) => { this.writtenSinceCheck += bytes; },
      stored: (bytes) => this.add(roomId, broadcastId, bytes),
      spaceBack: () => {
        this.freeAt = -Infinity; // ask the file system now: the next retry sees its answer, if it is not in already
        return this.freeNow() >= this.opts.minFreeBytes + (this.opts.resumeMarginBytes ?? RESUME_MARGIN_BYTES) && this.writeRefusal(roomId, broadcastId, 0, 0) === null;
      },
    };
  }

  private writeRefusal(roomId: string, broadcastId: string, bytes: number, extra: number): DiskRefusal | null {
    if (this.belowWatermark(bytes)) return 'disk_low';
    if (this.used(roomId, broadcastId) + extra > this.opts.maxBroadcastBytes) return 'replay_quota_broadcast';
    if (this.roomBytes(roomId) + extra > this.opts.maxRoomBytes) {
      this.fullRooms.add(roomId);
      return 'replay_quota_room';
    }
    if (this.total + extra > this.opts.maxTotalBytes) {
      this.totalFull = true;
      return 'replay_quota_total';
    }
    return null;
  }

  private belowWatermark(bytes: number): boolean {
    return this.opts.minFreeBytes > 0 && this.freeNow() - bytes < this.opts.minFreeBytes;
  }

  private add(roomId: string, broadcastId: string, bytes: number): void {
    let room = this.usage.get(roomId);
    if (!room) this.usage.set(roomId, (room = new Map()));
    room.set(broadcastId, Math.max(0, (room.get(broadcastId) ?? 0) + bytes));
    this.total = Math.max(0, this.total + bytes);
  }

  private roomBytes(roomId: string): number {
    let n = 0;
    for (const bytes of this.usage.get(roomId)?.values() ?? []) n += bytes;
    return n;
  }

  /** The smallest free space of the watched file systems at the last reading, less what was written since it was asked. */
  private freeNow(): number {
    if (this.now() - this.freeAt >= FREE_CHECK_MS) void this.refresh();
    return this.free - this.writtenSinceCheck;
  }

  /** Asks the file systems for their free space: an answer given at once (tests) lands at once, statfs's a little later. */
  private refresh(): Promise<void> {
    if (this.reading) return this.reading;
    this.freeAt = this.now();
    const written = this.writtenSinceCheck; // what the reading will already count
    const answers = this.opts.watched.map((dir) => this.freeOf(dir));
    const land = (free: readonly number[]): void => {
      this.free = Math.min(...free);
      this.writtenSinceCheck -= written;
    };
    if (answers.every((a): a is number => typeof a === 'number')) {
      land(answers);
      return Promise.resolve();
    }
    this.reading = Promise.all(answers).then(land).finally(() => { this.reading = null; });
    return this.reading;
  }

  private freeOf(dir: string): number | Promise<number> {
    // not there yet (the HLS root before the first recording): the other folders decide
    const unknown = (): number => Infinity;
    try {
      const free = this.freeBytesOf(dir);
      return typeof free === 'number' ? free : free.catch(unknown);
    } catch {
      return unknown();
    }
  }
}

async function list(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0; // deleted since it was listed
  }
}

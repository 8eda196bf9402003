// Crash recovery of recordings (issue 11 item 5). A kill -9 leaves a broadcast folder with temp files of
// write-then-rename (`<file>.<pid>.<seq>.tmp`), maybe a segment renamed but not yet listed, and playlists without
// ENDLIST, so the replay would never end. On start, before any publisher is admitted, every folder is tidied; a
// broadcast whose room is not on air is closed. One on air (inside the grace) is left open for its publisher;
// if the grace passes with no recorder in this process, the plane's `ended` handler calls closeBroadcast().
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { RoomRecord } from '../../store/room-store';
import { writeFileAtomic } from './atomic-write';
import { parseOurVodPlaylist } from './earlier-segments';
import { listDir as list } from './replay-retention';
import { LIVE_PLAYLIST, VOD_PLAYLIST, isBroadcastId, isRoomId, segmentIndex } from './hls-paths';

const ENDLIST = '#EXT-X-ENDLIST';
/** `<file>.<pid>.<seq>.tmp`: the pid says which process wrote it */
const TEMP_PATTERN = /\.(\d+)\.[0-9a-z]+\.tmp$/;

const readText = (file: string): Promise<string | null> => readFile(file, 'utf8').catch(() => null);

/**
 * Removes what a dead process left half done: its temp files (never this process's own, which may be in flight)
 * and segment files the VOD playlist does not list. Those were renamed just before the kill, ahead of the playlist
 * write: their duration is known only to the dead muxer, and a guessed EXTINF would make the replay's length lie,
 * so they go (at most one segment per broadcast is lost). Returns the names removed.
 */
export async function tidyBroadcast(dir: string): Promise<string[]> {
  const files = await list(dir);
  const playlist = await readText(join(dir, VOD_PLAYLIST));
  const listed = new Set(playlist === null ? [] : parseOurVodPlaylist(playlist).map((s) => s.index));
  const stale = files.filter((f) => {
    const temp = TEMP_PATTERN.exec(f);
    if (temp) return Number(temp[1]) !== process.pid;
    const index = segmentIndex(f);
    // REPLAY=off writes no VOD playlist: then the live playlist's segments are all there is, keep them
    return index !== null && playlist !== null && !listed.has(index);
  });
  await Promise.all(stale.map((f) => rm(join(dir, f), { force: true })));
  return stale;
}

/** Closes a broadcast whose recorder is gone: both playlists end with ENDLIST (VOD type), so players stop at the end. */
export async function closeBroadcast(dir: string): Promise<boolean> {
  await tidyBroadcast(dir);
  let changed = false;
  for (const name of [VOD_PLAYLIST, LIVE_PLAYLIST]) {
    const file = join(dir, name);
    const text = await readText(file);
    if (text === null || text.trimEnd().endsWith(ENDLIST)) continue;
    const closed = text.replace(/^#EXT-X-PLAYLIST-TYPE:EVENT$/m, '#EXT-X-PLAYLIST-TYPE:VOD').trimEnd() + `\n${ENDLIST}\n`;
    await writeFileAtomic(file, closed);
    changed = true;
  }
  return changed;
}

export interface RecoveryOptions {
  /** DATA_DIR/hls */
  root: string;
  findRoom(id: string): Promise<RoomRecord | null>;
  log: Logger;
}

export interface RecoveryResult {
  /** broadcast folders whose playlists got their ENDLIST */
  closed: string[];
  /** broadcast folders left open: their room is still on air with that broadcast (the grace decides) */
  open: string[];
  /** leftover files removed */
  removed: number;
}

/** One pass over DATA_DIR/hls at start; errors of one folder are logged and do not stop the others. */
export async function recoverRecordings(o: RecoveryOptions): Promise<RecoveryResult> {
  const result: RecoveryResult = { closed: [], open: [], removed: 0 };
  for (const roomId of (await list(o.root)).filter(isRoomId)) {
    const room = await o.findRoom(roomId);
    for (const broadcastId of (await list(join(o.root, roomId))).filter(isBroadcastId)) {
      const dir = join(o.root, roomId, broadcastId);
      try {
        result.removed += (await tidyBroadcast(dir)).length;
        if (room && room.status !== 'ended' && room.broadcastId === broadcastId) result.open.push(dir);
        else if (await closeBroadcast(dir)) result.closed.push(dir);
      } catch (err) {
        o.log.error({ err, dir }, 'recovering a recording failed');
      }
    }
  }
  if (result.closed.length || result.removed) {
    o.log.info({ closed: result.closed.length, removed: result.removed }, 'recordings recovered after an unclean stop');
  }
  return result;
}

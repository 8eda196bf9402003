// Crash recovery on real folder trees (what a kill -9 leaves: temp files, an unlisted segment, playlists without
// ENDLIST) and the real SQLite store: closed when the room is not on air with that broadcast, left open when it is.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { earlierFrom, loadEarlierSegments } from '../../../server/media/hls-output/earlier-segments';
import { closeBroadcast, recoverRecordings } from '../../../server/media/hls-output/recovery';
import type { RoomRecord } from '../../../server/store/room-store';
import { SqliteRoomStore } from '../../../server/store/sqlite/sqlite-room-store';
import { livePlaylist, vodPlaylist } from '../../../server/media/hls/playlist';

let root: string;
let store: SqliteRoomStore;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'wxlive-recovery-'));
  store = new SqliteRoomStore(':memory:');
});

afterEach(async () => {
  await store.close();
  rmSync(root, { recursive: true, force: true });
});

async function room(id: string, status: RoomRecord['status'], broadcastId: string | null): Promise<void> {
  const now = Date.now();
  await store.insert({
    id, title: id, cover: null, hostId: 'host', status, createdAt: now, startedAt: status === 'idle' ? null : now,
    endedAt: status === 'ended' ? now : null, broadcastId, disconnectedAt: null, pushGeneration: 0, pushIssuedAt: now,
  });
}

const SEGMENTS = [0, 1, 2].map((index) => ({ index, durationS: 2 + index / 10, discontinuity: index === 2 }));
const LISTED = SEGMENTS.map((s) => ({ ...s, uri: `${s.index}.ts` }));

/** A broadcast folder as a kill -9 after `3.ts` was renamed (before its playlist write) leaves it, plus temp files. */
function crashed(roomId: string, broadcastId: string): string {
  const dir = join(root, roomId, broadcastId);
  mkdirSync(dir, { recursive: true });
  for (const s of [...SEGMENTS, { index: 3 }]) writeFileSync(join(dir, `${s.index}.ts`), 'ts');
  writeFileSync(join(dir, 'index.m3u8'), vodPlaylist({ segments: LISTED, ended: false }));
  writeFileSync(join(dir, 'live.m3u8'), livePlaylist({ mediaSequence: 0, discontinuitySequence: 0, segments: LISTED }));
  writeFileSync(join(dir, '4.ts.99999999.a.tmp'), 'half a segment');
  writeFileSync(join(dir, 'index.m3u8.99999999.b.tmp'), '#EXTM3U');
  return dir;
}

const read = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');
const recover = () => recoverRecordings({ root, findRoom: (id) => store.get(id), log: pino({ level: 'silent' }) });

test('an ended room\'s broadcast is closed: ENDLIST on both playlists, VOD type, no temp or unlisted file left', async () => {
  await room('roomENDED001', 'ended', 'bcastLAST1');
  const dir = crashed('roomENDED001', 'bcastLAST1');
  const result = await recover();
  expect(result).toEqual({ closed: [dir], open: [], removed: 3 });
  expect(readdirSync(dir).sort()).toEqual(['0.ts', '1.ts', '2.ts', 'index.m3u8', 'live.m3u8']);
  expect(read(dir, 'index.m3u8')).toBe(vodPlaylist({ segments: LISTED, ended: true }));
  expect(read(dir, 'live.m3u8').trimEnd().split('\n').pop()).toBe('#EXT-X-ENDLIST');
  expect(await recover()).toEqual({ closed: [], open: [], removed: 0 }); // once closed, a second pass changes nothing
  expect(read(dir, 'index.m3u8')).toBe(vodPlaylist({ segments: LISTED, ended: true }));
});

test('the broadcast on air is tidied but left open; its room\'s earlier broadcast and a deleted room\'s are closed', async () => {
  await room('roomLIVE0001', 'live', 'bcastNOW01');
  const onAir = crashed('roomLIVE0001', 'bcastNOW01');
  const before = crashed('roomLIVE0001', 'bcastPRE01');
  const orphan = crashed('roomGONE0001', 'bcastGONE1');
  const result = await recover();
  expect(result.open).toEqual([onAir]);
  expect([...result.closed].sort()).toEqual([before, orphan].sort());
  expect(result.removed).toBe(9);
  expect(read(onAir, 'index.m3u8')).toBe(vodPlaylist({ segments: LISTED, ended: false }));
  expect(readdirSync(onAir).filter((f) => f.endsWith('.tmp') || f === '3.ts')).toEqual([]);
  // later the grace passes with no publisher: the ended handler closes it the same way
  expect(await closeBroadcast(onAir)).toBe(true);
  expect(read(onAir, 'index.m3u8')).toBe(vodPlaylist({ segments: LISTED, ended: true }));
});

test('this process\'s own temp files are never touched (a write of its own may be in flight)', async () => {
  await room('roomENDED002', 'ended', 'bcastLAST2');
  const dir = crashed('roomENDED002', 'bcastLAST2');
  const mine = `5.ts.${process.pid}.0.tmp`;
  writeFileSync(join(dir, mine), 'in flight');
  await recover();
  expect(existsSync(join(dir, mine))).toBe(true);
});

test('REPLAY=off (no VOD playlist): the live playlist is closed and its segments stay', async () => {
  await room('roomENDED003', 'ended', 'bcastLAST3');
  const dir = crashed('roomENDED003', 'bcastLAST3');
  rmSync(join(dir, 'index.m3u8'));
  expect(await closeBroadcast(dir)).toBe(true);
  expect(readdirSync(dir).sort()).toEqual(['0.ts', '1.ts', '2.ts', '3.ts', 'live.m3u8']);
  expect(read(dir, 'live.m3u8')).toMatch(/#EXT-X-ENDLIST\n$/);
  expect(await closeBroadcast(join(root, 'absent', 'folder'))).toBe(false); // nothing there: nothing to close
});

test('a resumed broadcast continues after a closed playlist: ENDLIST is dropped on read, numbering skips every file', async () => {
  const closed = vodPlaylist({ segments: LISTED, ended: true });
  expect(earlierFrom(['0.ts', '1.ts', '2.ts', '7.ts', 'index.m3u8'], closed)).toEqual({ segments: SEGMENTS, nextIndex: 8 });
  expect(earlierFrom([], null)).toEqual({ segments: [], nextIndex: 0 });
  await room('roomENDED004', 'ended', 'bcastLAST4');
  const dir = crashed('roomENDED004', 'bcastLAST4');
  await closeBroadcast(dir);
  expect(await loadEarlierSegments(dir)).toEqual({ segments: SEGMENTS, nextIndex: 3 });
  expect(await loadEarlierSegments(join(root, 'nothing'))).toEqual({ segments: [], nextIndex: 0 });
});

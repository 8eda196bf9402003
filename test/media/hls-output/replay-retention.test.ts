// Replay retention sweep on a real folder tree and the real SQLite store, with an injected clock: age is
// the broadcast folder's mtime (set with utimesSync), REPLAY=off keeps nothing but what is on air, the
// current broadcast survives any age, folders of deleted rooms go, retention 0 keeps replays.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { sweepReplays, type RetentionOptions } from '../../../server/media/hls-output/replay-retention';
import type { RoomRecord } from '../../../server/store/room-store';
import { SqliteRoomStore } from '../../../server/store/sqlite/sqlite-room-store';

const DAY_MS = 86_400_000;
/** the injected "now": 2001-01-31, years before the wall clock, so a sweep on Date.now() would delete everything */
const NOW = Date.UTC(2001, 0, 31);

let root: string;
let store: SqliteRoomStore;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'wxlive-retention-'));
  store = new SqliteRoomStore(':memory:');
});

afterEach(async () => {
  await store.close();
  rmSync(root, { recursive: true, force: true });
});

async function room(id: string, status: RoomRecord['status'], broadcastId: string | null): Promise<void> {
  await store.insert({
    id, title: id, cover: null, hostId: 'host', status, createdAt: NOW - 400 * DAY_MS,
    startedAt: status === 'idle' ? null : NOW - 300 * DAY_MS, endedAt: status === 'ended' ? NOW - 200 * DAY_MS : null,
    broadcastId, disconnectedAt: null, pushGeneration: 0, pushIssuedAt: NOW - 400 * DAY_MS,
  });
}

/** A broadcast folder with a segment and both playlists, last modified `ageMs` before NOW. */
function broadcast(roomId: string, broadcastId: string, ageMs: number): string {
  const dir = join(root, roomId, broadcastId);
  mkdirSync(dir, { recursive: true });
  for (const f of ['0.ts', 'live.m3u8', 'index.m3u8']) writeFileSync(join(dir, f), f);
  const at = (NOW - ageMs) / 1000; // whole seconds: every age below is a whole number of seconds
  utimesSync(dir, at, at); // after the files: creating them moved the folder's mtime
  return dir;
}

function sweep(over: Partial<RetentionOptions> = {}): Promise<string[]> {
  return sweepReplays({
    root, replay: true, retentionDays: 30, findRoom: (id) => store.get(id), log: pino({ level: 'silent' }), now: () => NOW,
    ...over,
  });
}

const sorted = (dirs: string[]): string[] => [...dirs].sort();

test('age is the folder mtime against the injected clock: older than the retention goes, up to it stays', async () => {
  await room('roomAAAAAAAA', 'ended', 'bcast00003');
  const over = broadcast('roomAAAAAAAA', 'bcast00001', 30 * DAY_MS + 1000); // one second past 30 days
  const exactly = broadcast('roomAAAAAAAA', 'bcast00002', 30 * DAY_MS); // "older than" is strict
  const young = broadcast('roomAAAAAAAA', 'bcast00003', 29 * DAY_MS);
  expect(await sweep()).toEqual([over]);
  expect(readdirSync(join(root, 'roomAAAAAAAA')).sort()).toEqual(['bcast00002', 'bcast00003']);
  expect([existsSync(exactly), existsSync(young)]).toEqual([true, true]);
  // the same tree a week later: both remaining folders are past 30 days now
  expect(sorted(await sweep({ now: () => NOW + 7 * DAY_MS }))).toEqual([exactly, young]);
  expect(readdirSync(join(root, 'roomAAAAAAAA'))).toEqual([]); // the room still exists: its folder stays
});

test('the current broadcast of a live room is kept however old; its earlier broadcasts are not', async () => {
  await room('roomLIVE0001', 'live', 'bcastNOW01');
  const current = broadcast('roomLIVE0001', 'bcastNOW01', 90 * DAY_MS); // e.g. a long broadcast resumed after a restart
  const earlier = broadcast('roomLIVE0001', 'bcastOLD01', 90 * DAY_MS);
  expect(await sweep()).toEqual([earlier]);
  expect(existsSync(current)).toBe(true);
});

test('an ended room has no current broadcast: its last one expires like any other', async () => {
  await room('roomENDED001', 'ended', 'bcastLAST1');
  const last = broadcast('roomENDED001', 'bcastLAST1', 31 * DAY_MS);
  expect(await sweep()).toEqual([last]);
});

test('REPLAY=off: every broadcast folder goes, however young, except the one on air', async () => {
  await room('roomLIVE0002', 'live', 'bcastNOW02');
  await room('roomENDED002', 'ended', 'bcastEND02');
  const onAir = broadcast('roomLIVE0002', 'bcastNOW02', 0);
  const before = broadcast('roomLIVE0002', 'bcastPRE02', 1000);
  const ended = broadcast('roomENDED002', 'bcastEND02', 0);
  // retention 0 ("keep") does not bring replays back when there are none to keep
  expect(sorted(await sweep({ replay: false, retentionDays: 0 }))).toEqual([ended, before].sort());
  expect(existsSync(onAir)).toBe(true);
});

test('folders of rooms that no longer exist are removed whole, whatever their age or the retention', async () => {
  await room('roomKEPT0001', 'ended', 'bcastKEPT1');
  const kept = broadcast('roomKEPT0001', 'bcastKEPT1', DAY_MS);
  const orphanA = broadcast('roomGONE0001', 'bcastGONE1', 0);
  const orphanB = broadcast('roomGONE0001', 'bcastGONE2', 0);
  writeFileSync(join(root, 'roomGONE0001', 'stray.txt'), 'x'); // not a broadcast: goes with its room folder
  expect(sorted(await sweep({ retentionDays: 0 }))).toEqual([orphanA, orphanB].sort());
  expect(readdirSync(root)).toEqual(['roomKEPT0001']);
  expect(existsSync(kept)).toBe(true);
});

test('retention 0 keeps replays of existing rooms forever', async () => {
  await room('roomFOREVER1', 'ended', 'bcastOLDER');
  const ancient = broadcast('roomFOREVER1', 'bcastOLDER', 3650 * DAY_MS);
  expect(await sweep({ retentionDays: 0 })).toEqual([]);
  expect(existsSync(ancient)).toBe(true);
  expect(await sweep({ retentionDays: 1 })).toEqual([ancient]); // the same folder under a retention: gone
});

test('names that are not room or broadcast ids are left alone; a missing root is an empty sweep', async () => {
  await room('roomNAMES001', 'ended', null);
  const notBroadcast = join(root, 'roomNAMES001', 'short');
  mkdirSync(notBroadcast, { recursive: true });
  utimesSync(notBroadcast, 0, 0); // 1970: older than any retention
  mkdirSync(join(root, 'not-a-room-id'));
  utimesSync(join(root, 'not-a-room-id'), 0, 0);
  expect(await sweep({ replay: false })).toEqual([]);
  expect(readdirSync(root).sort()).toEqual(['not-a-room-id', 'roomNAMES001']);
  expect(existsSync(notBroadcast)).toBe(true);
  expect(await sweep({ root: join(root, 'absent') })).toEqual([]);
});

test('one info line says how many folders went; a sweep that removes nothing says nothing', async () => {
  const lines: Array<{ msg: string; removed: number }> = [];
  const log = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  broadcast('roomGONE0002', 'bcastGONE3', 0);
  broadcast('roomGONE0002', 'bcastGONE4', 0);
  await sweep({ log });
  await sweep({ log }); // nothing left to remove
  expect(lines.map((l) => [l.msg, l.removed])).toEqual([['replays removed', 2]]);
});

test('the sweep runs off the event loop: other callbacks run while it walks the tree', async () => {
  await room('roomBUSY0001', 'ended', 'bcastBUSY1');
  for (let i = 0; i < 20; i++) broadcast('roomBUSY0001', `bcastOLD${String(i).padStart(2, '0')}`, 31 * DAY_MS);
  let turns = 0;
  let done = false;
  const tick = () => {
    if (done) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  const removed = await sweep();
  done = true;
  expect(removed).toHaveLength(20);
  // synchronous fs would finish the whole walk within one turn of the loop (the store answers from memory)
  expect(turns).toBeGreaterThan(5);
});

// RoomAdmission over a real SQLite store: a room not seen yet costs one store read however many requests wait
// for it; lifecycle events answer after that with no read; an event newer than a read in flight wins; `ended`
// is never asked again; a store answer is refreshed in the background after refreshMs; the map is bounded.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RoomAdmission } from '../../../server/media/embedded/room-admission';
import type { RoomRecord } from '../../../server/store/room-store';
import { SqliteRoomStore } from '../../../server/store/sqlite/sqlite-room-store';

let dir: string;
let store: SqliteRoomStore;
let reads = 0;
const find = (id: string) => { reads++; return store.get(id); };

const room = (id: string, o: Partial<RoomRecord> = {}): RoomRecord => ({
  id, title: 't', cover: null, hostId: 'host', status: 'idle', createdAt: 1, startedAt: null, endedAt: null,
  broadcastId: null, disconnectedAt: null, pushGeneration: 1, pushIssuedAt: 1, ...o,
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wxlive-admission-'));
  store = new SqliteRoomStore(join(dir, 'rooms.db'));
  for (const id of ['roomAAAAAAAA', 'roomBBBBBBBB', 'roomCCCCCCCC']) await store.insert(room(id));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => { reads = 0; });

test('one store read for many waiting requests; then events alone; ended is final; unknown rooms are not found', async () => {
  let now = 0;
  const a = new RoomAdmission({ find, now: () => now, refreshMs: 5000 });
  const answers = await Promise.all(Array.from({ length: 50 }, () => a.room('roomAAAAAAAA')));
  expect([reads, new Set(answers.map((r) => r.status))]).toEqual([1, new Set(['idle'])]);
  a.learn(room('roomAAAAAAAA', { status: 'live', broadcastId: 'Broadcast1' }));
  for (let i = 0; i < 100; i++) expect((await a.room('roomAAAAAAAA')).broadcastId).toBe('Broadcast1');
  expect(reads).toBe(1);
  a.learn(room('roomAAAAAAAA', { status: 'ended', broadcastId: 'Broadcast1' }));
  now = 60_000;
  expect((await a.room('roomAAAAAAAA')).status).toBe('ended');
  expect(reads).toBe(1); // ended is final: never refreshed
  await expect(a.room('roomZZZZZZZZ')).rejects.toMatchObject({ code: 'room_not_found' });
  a.forget('roomAAAAAAAA'); // deleted
  await a.room('roomAAAAAAAA');
  expect(reads).toBe(3);
});

test('an event that arrives while the store is asked wins over the older answer; stale answers refresh in the background', async () => {
  let now = 0;
  const a = new RoomAdmission({ find, now: () => now, refreshMs: 5000 });
  const pending = a.room('roomBBBBBBBB');
  a.learn(room('roomBBBBBBBB', { status: 'ended' })); // the store still says idle
  expect((await pending).status).toBe('ended');
  await a.room('roomCCCCCCCC');
  await store.update('roomCCCCCCCC', ['idle'], { status: 'live', broadcastId: 'Broadcast2' });
  now = 6000;
  expect((await a.room('roomCCCCCCCC')).status).toBe('idle'); // answered at once from memory…
  await new Promise((r) => setImmediate(r));
  expect((await a.room('roomCCCCCCCC')).status).toBe('live'); // …while the store was asked again
  expect(reads).toBe(3);
});

test('remembers at most maxRooms, forgetting the oldest', async () => {
  const a = new RoomAdmission({ find, maxRooms: 2 });
  for (const id of ['roomAAAAAAAA', 'roomBBBBBBBB', 'roomCCCCCCCC']) a.learn(room(id, { status: 'live' }));
  await a.room('roomBBBBBBBB');
  await a.room('roomCCCCCCCC');
  expect(reads).toBe(0);
  await a.room('roomAAAAAAAA');
  expect(reads).toBe(1);
});

test('peek answers from memory only: nothing for a room not seen yet (no store read), the learnt state after', async () => {
  let now = 0;
  const a = new RoomAdmission({ find, now: () => now, refreshMs: 5000 });
  expect(a.peek('roomAAAAAAAA')).toBeUndefined();
  expect(reads).toBe(0);
  a.learn(room('roomAAAAAAAA', { status: 'live', broadcastId: 'Broadcast3' }));
  expect(a.peek('roomAAAAAAAA')).toMatchObject({ status: 'live', broadcastId: 'Broadcast3' });
  expect(reads).toBe(0);
  now = 6000; // stale: still answered at once, and asked again in the background
  expect(a.peek('roomAAAAAAAA')?.status).toBe('live');
  await new Promise((r) => setImmediate(r));
  expect(reads).toBe(1);
});

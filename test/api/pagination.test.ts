// Cursor pagination over real HTTP: every room exactly once, newest first, per status and for the admin.
import type { Room, RoomListResponse } from '../../typings/api';
import { call, login, type JsonReply } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/test-server';

let s: TestServer;
const made: Room[] = [];
/** every room's id in the API's order: createdAt descending, ties broken by id descending */
let created: string[] = [];
beforeAll(async () => {
  s = await startTestServer();
  const token = await login(s.url, 'pager');
  // created back to back, so some may share a createdAt millisecond: the id tie-break then orders them
  for (let i = 0; i < 37; i++) {
    const r = await call(s.url, 'POST', '/api/rooms', { token, body: { title: `room ${i}` } });
    made.push(r.body.room);
  }
  created = [...made]
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || (a.id < b.id ? 1 : -1))
    .map((r) => r.id);
  for (const id of created.filter((_, i) => i % 3 === 0)) await call(s.url, 'POST', `/api/rooms/${id}/end`, { token });
});
afterAll(async () => { await s.stop(true); });

async function walk(path: string, limit: number, token?: string): Promise<{ ids: string[]; pages: number; rooms: Room[] }> {
  const rooms: Room[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const r: JsonReply<RoomListResponse> = await call(s.url, 'GET', `${path}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, { token });
    expect(r.status).toBe(200);
    expect(r.body.rooms.length).toBeLessThanOrEqual(limit);
    rooms.push(...r.body.rooms);
    cursor = r.body.nextCursor;
    if (cursor !== null) expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/); // opaque and URL-safe
    pages += 1;
  } while (cursor && pages < 100);
  return { ids: rooms.map((r) => r.id), pages, rooms };
}

test('walking all pages returns every room once, newest first', async () => {
  for (const limit of [1, 5, 10, 37, 100]) {
    const { ids, pages } = await walk('/api/rooms', limit);
    expect(ids).toEqual(created);
    expect(pages).toBe(Math.max(1, Math.ceil(created.length / limit)));
  }
});

test('newest first by createdAt', async () => {
  const { rooms } = await walk('/api/rooms', 100);
  for (let i = 1; i < rooms.length; i++) {
    expect(Date.parse(rooms[i - 1]!.createdAt)).toBeGreaterThanOrEqual(Date.parse(rooms[i]!.createdAt));
  }
});

test('paging within a status filter', async () => {
  const ended = created.filter((id) => created.indexOf(id) % 3 === 0);
  const idle = created.filter((id) => created.indexOf(id) % 3 !== 0);
  expect((await walk('/api/rooms?status=ended', 4)).ids).toEqual(ended);
  expect((await walk('/api/rooms?status=idle', 7)).ids).toEqual(idle);
  expect((await walk('/api/rooms?status=live', 5)).ids).toEqual([]);
});

test('an exact last page has nextCursor null (no empty trailing page)', async () => {
  const r = await call(s.url, 'GET', `/api/rooms?limit=${created.length}`);
  expect(r.body.rooms).toHaveLength(created.length);
  expect(r.body.nextCursor).toBeNull();
});

test('rooms created while paging do not shift later pages (no duplicates or misses)', async () => {
  const token = await login(s.url, 'pager');
  const first = await call(s.url, 'GET', '/api/rooms?status=idle&limit=5');
  await call(s.url, 'POST', '/api/rooms', { token, body: { title: 'newcomer' } });
  const second = await call(s.url, 'GET', `/api/rooms?status=idle&limit=5&cursor=${first.body.nextCursor}`);
  const idle = created.filter((id) => created.indexOf(id) % 3 !== 0);
  expect([...first.body.rooms, ...second.body.rooms].map((r: Room) => r.id)).toEqual(idle.slice(0, 10));
});

test('the admin list pages the same way', async () => {
  const { ids } = await walk('/api/admin/rooms?status=ended', 3, s.config.secrets.adminToken);
  expect(ids).toEqual(created.filter((id) => created.indexOf(id) % 3 === 0));
});

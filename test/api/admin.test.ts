// Admin endpoints: Bearer ADMIN_TOKEN only; every room with its stream stats, ending rooms, server stats.
import type { AdminRoom, AdminStatsResponse } from '../../typings/api';
import { call, createRoom, login } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { goLive } from './go-live';

let s: TestServer;
let admin: string;
beforeAll(async () => {
  s = await startTestServer();
  admin = s.config.secrets.adminToken;
});
afterAll(async () => { await s.stop(true); });

const ADMIN_ENDPOINTS = [['GET', '/api/admin/rooms'], ['GET', '/api/admin/stats'], ['POST', '/api/admin/rooms/AAAAAAAAAAAA/end']] as const;

test('without a token every admin endpoint is 401', async () => {
  for (const [method, path] of ADMIN_ENDPOINTS) {
    const r = await call(s.url, method, path);
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('admin_token_required');
  }
});

test('a wrong admin token, or a user session token, is 403', async () => {
  const userToken = await login(s.url, 'wannabe-admin');
  for (const token of [admin + 'x', admin.slice(0, -1), 'x'.repeat(admin.length), userToken]) {
    for (const [method, path] of ADMIN_ENDPOINTS) {
      const r = await call(s.url, method, path, { token });
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('bad_admin_token');
    }
  }
});

test('GET /api/admin/rooms lists every room of every host, with stream stats (null when not streaming)', async () => {
  const a = await createRoom(s.url, 'admin sees A', 'host-one');
  const b = await createRoom(s.url, 'admin sees B', 'host-two');
  await goLive(s.dataDir, b.room.id);
  const r = await call(s.url, 'GET', '/api/admin/rooms?limit=100', { token: admin });
  expect(r.status).toBe(200);
  const byId = new Map((r.body.rooms as AdminRoom[]).map((x) => [x.id, x]));
  expect(byId.get(a.room.id)).toEqual({ ...a.room, stream: null });
  expect(byId.get(b.room.id)).toMatchObject({ id: b.room.id, status: 'live', hostId: b.room.hostId, stream: null });
  const live = await call(s.url, 'GET', '/api/admin/rooms?status=live', { token: admin });
  expect((live.body.rooms as AdminRoom[]).map((x) => x.id)).toEqual([b.room.id]);
  expect((await call(s.url, 'GET', '/api/admin/rooms?limit=0', { token: admin })).status).toBe(400);
});

test('POST /api/admin/rooms/:id/end ends any room; twice → 409; unknown → 404', async () => {
  const { room } = await createRoom(s.url, 'to be ended by admin', 'host-three');
  const r = await call(s.url, 'POST', `/api/admin/rooms/${room.id}/end`, { token: admin });
  expect(r.status).toBe(200);
  expect(r.body.room).toMatchObject({ id: room.id, status: 'ended', endedAt: expect.any(String) });
  const again = await call(s.url, 'POST', `/api/admin/rooms/${room.id}/end`, { token: admin });
  expect(again.status).toBe(409);
  expect(again.body.error.code).toBe('room_ended');
  const missing = await call(s.url, 'POST', '/api/admin/rooms/AAAAAAAAAAAA/end', { token: admin });
  expect(missing.status).toBe(404);
  expect(missing.body.error.code).toBe('room_not_found');
});

test('GET /api/admin/stats counts rooms by status and reports uptime and media totals', async () => {
  const before = (await call(s.url, 'GET', '/api/admin/stats', { token: admin })).body as AdminStatsResponse;
  const { token, room } = await createRoom(s.url, 'counted', 'host-four');
  const mid = (await call(s.url, 'GET', '/api/admin/stats', { token: admin })).body as AdminStatsResponse;
  expect(mid.rooms.idle).toBe(before.rooms.idle + 1);
  await goLive(s.dataDir, room.id);
  await call(s.url, 'POST', `/api/rooms/${room.id}/end`, { token });
  const r = await call(s.url, 'GET', '/api/admin/stats', { token: admin });
  expect(r.status).toBe(200);
  const stats = r.body as AdminStatsResponse;
  expect(stats.rooms).toEqual({ idle: before.rooms.idle, live: before.rooms.live, ended: before.rooms.ended + 1 });
  expect(stats.uptimeS).toBeGreaterThanOrEqual(0);
  expect(Array.isArray(stats.streams)).toBe(true);
  expect(Object.keys(stats.totals).sort()).toEqual(['bitrateIn', 'bitrateOut', 'bytesIn', 'bytesOut', 'publishers', 'streams', 'viewers']);
  for (const v of Object.values(stats.totals)) expect(typeof v).toBe('number');
});

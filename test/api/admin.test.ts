// Admin endpoints: Bearer ADMIN_TOKEN only; every room with its stream stats, ending rooms, server stats.
import type { AdminRoom, AdminStatsResponse, CreateRoomResponse } from '../../typings/api';
import { killAll, type ChildHandle } from '../helpers/ffmpeg';
import { call, createRoom, login } from '../helpers/http';
import { fetchFinishedReplay, publishLive, untilSegments } from '../helpers/live';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { until } from '../helpers/wait';

let s: TestServer;
let admin: string;
/** Date.now() just before the server was started and just after it was ready: the bounds of its start time */
let startingAt: number;
let readyAt: number;
beforeAll(async () => {
  startingAt = Date.now();
  s = await startTestServer({ HLS_FRAGMENT_S: '1' });
  readyAt = Date.now();
  admin = s.config.secrets.adminToken;
});
afterAll(async () => {
  await killAll();
  await s.stop(true);
});

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

describe('with one room broadcasting (a real ffmpeg publish)', () => {
  let a: Awaited<ReturnType<typeof createRoom>>;
  let b: CreateRoomResponse & { token: string };
  let publisher: ChildHandle;
  beforeAll(async () => {
    a = await createRoom(s.url, 'admin sees A', 'host-one');
    b = await createRoom(s.url, 'admin sees B', 'host-two');
    publisher = await publishLive(s.url, b.room.id, b.push.url);
  });

  test('GET /api/admin/rooms lists every room of every host, with stream stats (null when not streaming)', async () => {
    const adminRooms = async () => (await call(s.url, 'GET', '/api/admin/rooms?limit=100', { token: admin })).body.rooms as AdminRoom[];
    // the codec facts come with the publisher's first sequence headers
    await until(async () => (await adminRooms()).find((x) => x.id === b.room.id)?.stream?.video != null, 10_000, "B's video stats");
    const r = await call(s.url, 'GET', '/api/admin/rooms?limit=100', { token: admin });
    expect(r.status).toBe(200);
    const byId = new Map((r.body.rooms as AdminRoom[]).map((x) => [x.id, x]));
    expect(byId.get(a.room.id)).toEqual({ ...a.room, stream: null });
    expect(byId.get(b.room.id)).toMatchObject({
      id: b.room.id, status: 'live', hostId: b.room.hostId,
      stream: {
        roomId: b.room.id, publisher: { address: expect.stringContaining('127.0.0.1'), since: expect.any(String) },
        video: { codec: 'H264', width: 160, height: 120 }, audio: { codec: 'AAC', sampleRate: 44100 },
      },
    });
    expect(byId.get(b.room.id)!.stream!.bytesIn).toBeGreaterThan(0);
    const live = await call(s.url, 'GET', '/api/admin/rooms?status=live', { token: admin });
    expect((live.body.rooms as AdminRoom[]).map((x) => x.id)).toEqual([b.room.id]);
    expect((await call(s.url, 'GET', '/api/admin/rooms?limit=0', { token: admin })).status).toBe(400);
  });

  test('GET /api/admin/stats counts rooms by status and reports uptime and media totals', async () => {
    const before = (await call(s.url, 'GET', '/api/admin/stats', { token: admin })).body as AdminStatsResponse;
    expect(before.streams.map((x) => x.roomId)).toContain(b.room.id);
    expect(before.totals.publishers).toBe(1);
    expect(before.totals.bytesIn).toBeGreaterThan(0);
    await createRoom(s.url, 'counted', 'host-four');
    const mid = (await call(s.url, 'GET', '/api/admin/stats', { token: admin })).body as AdminStatsResponse;
    expect(mid.rooms).toEqual({ ...before.rooms, idle: before.rooms.idle + 1 });
    // the broadcast has something recorded, then its host ends it
    await untilSegments((await call(s.url, 'GET', `/api/rooms/${b.room.id}/play`)).body.play.hls, 1);
    const ended = await call(s.url, 'POST', `/api/rooms/${b.room.id}/end`, { token: b.token });
    expect(ended.status).toBe(200);
    await publisher.exited;
    const sinceReady = Date.now() - readyAt;
    const r = await call(s.url, 'GET', '/api/admin/stats', { token: admin });
    const sinceStarting = Date.now() - startingAt;
    expect(r.status).toBe(200);
    const stats = r.body as AdminStatsResponse;
    expect(stats.rooms).toEqual({ idle: before.rooms.idle + 1, live: before.rooms.live - 1, ended: before.rooms.ended + 1 });
    // uptime is whole seconds since the server started: between the two ends of its start-up
    expect(stats.uptimeS).toBeGreaterThanOrEqual(Math.round(sinceReady / 1000));
    expect(stats.uptimeS).toBeLessThanOrEqual(Math.round(sinceStarting / 1000));
    expect(stats.totals.publishers).toBe(0);
    expect(Object.keys(stats.totals).sort()).toEqual(['bitrateIn', 'bitrateOut', 'bytesIn', 'bytesOut', 'publishers', 'streams', 'viewers']);
    for (const v of Object.values(stats.totals)) expect(typeof v).toBe('number');
    // what was broadcast is a finished replay
    const play = await call(s.url, 'GET', `/api/rooms/${b.room.id}/play`);
    expect([play.status, play.body.error.code]).toEqual([409, 'room_ended']);
    await fetchFinishedReplay(play.body.error.replay);
  });
});

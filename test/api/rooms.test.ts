// Room endpoints over real HTTP: every happy path, ownership, and the lifecycle's 409s.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PlayUrls, PushTicket, Room } from '../../typings/api';
import { readSignedParams, verifyMedia, type MediaAction } from '../../server/signing/media-signature';
import { killAll } from '../helpers/ffmpeg';
import { call, createRoom, login } from '../helpers/http';
import { fetchFinishedReplay, publishLive, untilSegments } from '../helpers/live';
import { startTestServer, type TestServer } from '../helpers/test-server';

let s: TestServer;
// 1 s segments: the one broadcast of this file has something recorded within a second or two
beforeAll(async () => { s = await startTestServer({ HLS_FRAGMENT_S: '1' }); });
afterAll(async () => {
  await killAll();
  await s.stop(true);
});

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** Checks a signed URL's query against the server's secret for this room and action. */
function expectSigned(url: string, action: MediaAction, roomId: string): void {
  const q = Object.fromEntries(new URL(url.replace(/^rtmp:/, 'http:')).searchParams);
  expect(verifyMedia(s.config.secrets.signingSecret, action, roomId, readSignedParams(q))).toEqual({ ok: true });
}

function expectExpiresIn(expiresAt: string, ttlS: number): void {
  const ms = Date.parse(expiresAt) - Date.now();
  expect(ms).toBeGreaterThan((ttlS - 60) * 1000);
  expect(ms).toBeLessThanOrEqual((ttlS + 1) * 1000); // expiries are rounded up to the whole second
}

function expectPushTicket(push: PushTicket, roomId: string): void {
  expect(push.server).toBe(`rtmp://127.0.0.1:${s.rtmpPort}/live`);
  expect(push.url).toBe(`${push.server}/${push.streamKey}`);
  expect(push.streamKey).toMatch(new RegExp(`^${roomId}\\?expires=\\d+&gen=[1-9]\\d*&sign=[\\w-]{43}$`));
  expectSigned(push.url, 'publish', roomId);
  expectExpiresIn(push.expiresAt, s.config.PUSH_TTL_S);
}

test('GET /healthz', async () => {
  const r = await call(s.url, 'GET', '/healthz');
  expect(r.status).toBe(200);
  expect(r.body).toEqual({ status: 'ok' });
});

test('POST /api/auth/login (dev): any code gives a stable user and an expiring token', async () => {
  const a1 = await call(s.url, 'POST', '/api/auth/login', { body: { code: 'alice' } });
  const a2 = await call(s.url, 'POST', '/api/auth/login', { body: { code: 'alice' } });
  const b = await call(s.url, 'POST', '/api/auth/login', { body: { code: 'bob' } });
  expect(a1.status).toBe(200);
  expect(a1.body.user.id).toMatch(/^dev_[\w-]+$/);
  expect(a2.body.user.id).toBe(a1.body.user.id);
  expect(b.body.user.id).not.toBe(a1.body.user.id);
  expect(typeof a1.body.token).toBe('string');
  expect(a1.body.expiresAt).toMatch(ISO);
  expectExpiresIn(a1.body.expiresAt, s.config.SESSION_TTL_S);
});

test('POST /api/rooms creates an idle room with a signed push ticket', async () => {
  const token = await login(s.url, 'creator');
  const me = (await call(s.url, 'POST', '/api/auth/login', { body: { code: 'creator' } })).body.user.id;
  const r = await call(s.url, 'POST', '/api/rooms', { token, body: { title: '  My show  ', cover: 'https://img.example.com/c.jpg' } });
  expect(r.status).toBe(201);
  const room: Room = r.body.room;
  expect(room).toEqual({
    id: expect.stringMatching(/^[0-9A-Za-z]{12}$/), title: 'My show', cover: 'https://img.example.com/c.jpg', hostId: me,
    status: 'idle', createdAt: expect.stringMatching(ISO), startedAt: null, endedAt: null, viewers: 0,
  });
  expect(Math.abs(Date.parse(room.createdAt) - Date.now())).toBeLessThan(10_000);
  expectPushTicket(r.body.push, room.id);
});

test('a room without a cover has no cover field; ids differ between rooms', async () => {
  const a = await createRoom(s.url, 'no cover');
  const b = await createRoom(s.url, 'no cover');
  expect(a.room).not.toHaveProperty('cover');
  expect(a.room.id).not.toBe(b.room.id);
});

test('GET /api/rooms/:id and GET /api/rooms list it', async () => {
  const { room } = await createRoom(s.url, 'listed');
  const one = await call(s.url, 'GET', `/api/rooms/${room.id}`);
  expect(one.status).toBe(200);
  expect(one.body).toEqual({ room });
  const list = await call(s.url, 'GET', '/api/rooms?limit=100');
  expect(list.status).toBe(200);
  expect(list.body.rooms).toContainEqual(room);
  expect(list.body).toHaveProperty('nextCursor', null);
});

test('POST /api/rooms/:id/push gives the host a fresh ticket; others get 403, no token 401', async () => {
  const { token, room } = await createRoom(s.url, 'push me', 'pusher');
  const r = await call(s.url, 'POST', `/api/rooms/${room.id}/push`, { token });
  expect(r.status).toBe(200);
  expectPushTicket(r.body.push, room.id);
  const other = await login(s.url, 'intruder');
  const forbidden = await call(s.url, 'POST', `/api/rooms/${room.id}/push`, { token: other });
  expect(forbidden.status).toBe(403);
  expect(forbidden.body.error.code).toBe('not_room_host');
  const anon = await call(s.url, 'POST', `/api/rooms/${room.id}/push`);
  expect(anon.status).toBe(401);
  expect(anon.body.error.code).toBe('unauthorized');
});

test('GET /api/rooms/:id/play gives signed FLV, RTMP and HLS URLs to anyone', async () => {
  const { room } = await createRoom(s.url, 'play me');
  const r = await call(s.url, 'GET', `/api/rooms/${room.id}/play`);
  expect(r.status).toBe(200);
  const play: PlayUrls = r.body.play;
  expect(play.flv).toMatch(new RegExp(`^${s.url}/live/${room.id}\\.flv\\?expires=\\d+&sign=[\\w-]{43}$`));
  expect(play.rtmp).toMatch(new RegExp(`^rtmp://127\\.0\\.0\\.1:${s.rtmpPort}/live/${room.id}\\?expires=\\d+&sign=[\\w-]{43}$`));
  expect(play.hls).toMatch(new RegExp(`^${s.url}/live/${room.id}/index\\.m3u8\\?expires=\\d+&sign=[\\w-]{43}$`));
  for (const url of [play.flv, play.rtmp, play.hls]) expectSigned(url, 'play', room.id);
  // a play signature never publishes
  const q = Object.fromEntries(new URL(play.flv).searchParams);
  expect(verifyMedia(s.config.secrets.signingSecret, 'publish', room.id, readSignedParams(q))).toEqual({ ok: false, reason: 'wrong_action' });
  expectExpiresIn(play.expiresAt, s.config.PLAY_TTL_S);
});

test('the host ends an idle room: 200, then 409 room_ended for end, push and play (replay null)', async () => {
  const { token, room } = await createRoom(s.url, 'short lived', 'ender');
  const ended = await call(s.url, 'POST', `/api/rooms/${room.id}/end`, { token });
  expect(ended.status).toBe(200);
  expect(ended.body.room).toMatchObject({ id: room.id, status: 'ended', startedAt: null, endedAt: expect.stringMatching(ISO) });
  const again = await call(s.url, 'POST', `/api/rooms/${room.id}/end`, { token });
  expect(again.status).toBe(409);
  expect(again.body.error.code).toBe('room_ended');
  const push = await call(s.url, 'POST', `/api/rooms/${room.id}/push`, { token });
  expect(push.status).toBe(409);
  expect(push.body.error.code).toBe('room_ended');
  const play = await call(s.url, 'GET', `/api/rooms/${room.id}/play`);
  expect(play.status).toBe(409);
  expect(play.body).toEqual({ error: { code: 'room_ended', message: expect.any(String), replay: null } });
  expect((await call(s.url, 'GET', `/api/rooms/${room.id}`)).body.room.status).toBe('ended');
});

test('a room that went live: listed as live, playable, and after the end play names its finished replay', async () => {
  const { token, room, push } = await createRoom(s.url, 'on air', 'broadcaster');
  const publisher = await publishLive(s.url, room.id, push.url);
  const got = (await call(s.url, 'GET', `/api/rooms/${room.id}`)).body.room as Room;
  expect(got.status).toBe('live');
  expect(got.startedAt).toMatch(ISO);
  const live = await call(s.url, 'GET', '/api/rooms?status=live&limit=100');
  expect(live.body.rooms.map((r: Room) => r.id)).toContain(room.id);
  expect(live.body.rooms.every((r: Room) => r.status === 'live')).toBe(true);
  const play = await call(s.url, 'GET', `/api/rooms/${room.id}/play`);
  expect(play.status).toBe(200);
  await untilSegments((play.body.play as PlayUrls).hls, 1); // the signed HLS URL serves the broadcast
  // a live room still gets fresh push tickets (the publisher may reconnect)
  expect((await call(s.url, 'POST', `/api/rooms/${room.id}/push`, { token })).status).toBe(200);

  expect((await call(s.url, 'POST', `/api/rooms/${room.id}/end`, { token })).status).toBe(200);
  await publisher.exited; // ending a room disconnects its publisher
  const ended = await call(s.url, 'GET', `/api/rooms/${room.id}/play`);
  expect(ended.status).toBe(409);
  const broadcasts = readdirSync(join(s.dataDir, 'hls', room.id));
  expect(broadcasts).toHaveLength(1);
  const replay = `${s.url}/replay/${room.id}/${broadcasts[0]}/index.m3u8`;
  expect(ended.body.error).toMatchObject({ code: 'room_ended', replay });
  const list = await fetchFinishedReplay(replay);
  expect(list.segments.length).toBeGreaterThanOrEqual(1);
  const idle = await call(s.url, 'GET', '/api/rooms?status=idle&limit=100');
  expect(idle.body.rooms.map((r: Room) => r.id)).not.toContain(room.id);
});

test('another host may not end the room (403); the admin token may (200)', async () => {
  const { room } = await createRoom(s.url, 'guarded', 'owner');
  const other = await login(s.url, 'not-owner');
  const r = await call(s.url, 'POST', `/api/rooms/${room.id}/end`, { token: other });
  expect(r.status).toBe(403);
  expect(r.body.error.code).toBe('not_room_host');
  expect((await call(s.url, 'GET', `/api/rooms/${room.id}`)).body.room.status).toBe('idle');
  const admin = await call(s.url, 'POST', `/api/rooms/${room.id}/end`, { token: s.config.secrets.adminToken });
  expect(admin.status).toBe(200);
  expect(admin.body.room.status).toBe('ended');
});

test('ending needs a valid token: none → 401, a forged one → 401', async () => {
  const { room, token } = await createRoom(s.url, 'locked');
  expect((await call(s.url, 'POST', `/api/rooms/${room.id}/end`)).status).toBe(401);
  const forged = token.slice(0, -2) + (token.endsWith('AA') ? 'BA' : 'AA');
  const r = await call(s.url, 'POST', `/api/rooms/${room.id}/end`, { token: forged });
  expect(r.status).toBe(401);
  expect(r.body.error.code).toBe('unauthorized');
});

test('unknown rooms are 404 room_not_found on every room endpoint', async () => {
  const token = await login(s.url);
  for (const id of ['AAAAAAAAAAAA', 'not-an-id', 'x'.repeat(300)]) {
    for (const [method, suffix, auth] of [['GET', '', false], ['GET', '/play', false], ['POST', '/push', true], ['POST', '/end', true]] as const) {
      const r = await call(s.url, method, `/api/rooms/${id}${suffix}`, auth ? { token } : {});
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe('room_not_found');
    }
  }
});

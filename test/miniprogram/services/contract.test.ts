// The mini-program's client modules against the real server: proves both sides agree on the contract.
import type { ApiError } from '../../../miniprogram/services/api-error';
import { createApi } from '../../../miniprogram/services/client';
import { SESSION_KEY } from '../../../miniprogram/services/session';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { nodeWx } from '../helpers/node-wx';

let s: TestServer;
const g = globalThis as { wx?: unknown };
let shim: ReturnType<typeof nodeWx>;

beforeAll(async () => { s = await startTestServer(); });
afterAll(async () => { await s.stop(true); delete g.wx; });
beforeEach(() => {
  shim = nodeWx();
  g.wx = shim; // the client's default port is the global wx, as in the app
});

test('login → create room → push ticket → list → play URLs → end → 409 with replay', async () => {
  const api = createApi(s.url);

  const created = await api.createRoom({ title: '  Contract room  ' });
  expect(created.room).toMatchObject({ title: 'Contract room', status: 'idle', viewers: 0 });
  expect(shim.storage.get(SESSION_KEY)).toMatchObject({ user: { id: created.room.hostId } });
  expect(created.push.url).toBe(`${created.push.server}/${created.push.streamKey}`);
  expect(created.push.server).toBe(`rtmp://127.0.0.1:${s.rtmpPort}/live`);

  const fresh = await api.pushTicket(created.room.id);
  expect(fresh.url.startsWith(`rtmp://127.0.0.1:${s.rtmpPort}/live/${created.room.id}`)).toBe(true);

  const idle = await api.listRooms({ status: 'idle', limit: 5 });
  expect(idle.rooms.map((r) => r.id)).toContain(created.room.id);
  expect(idle.nextCursor).toBeNull();
  expect((await api.getRoom(created.room.id)).id).toBe(created.room.id);

  const play = await api.playUrls(created.room.id);
  expect(play.flv).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${s.httpPort}/live/${created.room.id}\\.flv\\?`));
  expect(play.rtmp).toMatch(new RegExp(`^rtmp://127\\.0\\.0\\.1:${s.rtmpPort}/live/${created.room.id}\\?`));
  expect(Date.parse(play.expiresAt)).toBeGreaterThan(Date.now());

  const ended = await api.endRoom(created.room.id);
  expect(ended.status).toBe('ended');
  const err = (await api.playUrls(created.room.id).catch((e) => e)) as ApiError;
  expect(err).toMatchObject({ name: 'ApiError', status: 409, code: 'room_ended' });
  // never went live → no broadcast → no replay
  expect(err.replay).toBeNull();
});

test('errors from the real server arrive typed; a bad stored token is renewed once', async () => {
  const api = createApi(s.url);
  await expect(api.getRoom('AAAAAAAAAAAA')).rejects.toMatchObject({ status: 404, code: 'room_not_found' });
  await expect(api.createRoom({ title: '' })).rejects.toMatchObject({ status: 400 });

  shim.storage.set(SESSION_KEY, { token: 'forged.token', expiresAt: new Date(Date.now() + 3600_000).toISOString(), user: { id: 'x' } });
  const created = await api.createRoom({ title: 'after renewal' });
  expect(created.room.hostId).toMatch(/^dev_/);
  expect((shim.storage.get(SESSION_KEY) as { token: string }).token).not.toBe('forged.token');
});

test('another user cannot take the host\'s push ticket', async () => {
  const host = createApi(s.url);
  const { room } = await host.createRoom({ title: 'mine' });
  const other = nodeWx('someone-else');
  const intruder = createApi(s.url, () => other);
  await expect(intruder.pushTicket(room.id)).rejects.toMatchObject({ status: 403, code: 'not_room_host' });
});

test('an unreachable server is a NetworkError, not a crash', async () => {
  const api = createApi('http://127.0.0.1:9'); // discard port: nothing listens
  await expect(api.listRooms()).rejects.toMatchObject({ name: 'NetworkError' });
});

// DELETE /api/admin/rooms/:id: the room and its recordings go; only the admin may do it.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { call, createRoom } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { until } from '../helpers/wait';

let s: TestServer;
beforeAll(async () => { s = await startTestServer(); });
afterAll(async () => { await s.stop(true); });

test('the admin deletes a room: 204, then 404, gone from listings, its HLS folder removed', async () => {
  const admin = s.config.secrets.adminToken;
  const { room } = await createRoom(s.url, 'to delete');
  const recordings = join(s.dataDir, 'hls', room.id, 'B0000000000');
  mkdirSync(recordings, { recursive: true });
  writeFileSync(join(recordings, '0.ts'), 'x');

  const del = await call(s.url, 'DELETE', `/api/admin/rooms/${room.id}`, { token: admin });
  expect(del.status).toBe(204);
  expect((await call(s.url, 'GET', `/api/rooms/${room.id}`)).status).toBe(404);
  const listed = await call(s.url, 'GET', '/api/admin/rooms', { token: admin });
  expect(listed.body.rooms.map((r: { id: string }) => r.id)).not.toContain(room.id);
  // removed off the event loop (its replays answer 404 from the start)
  await until(() => !existsSync(join(s.dataDir, 'hls', room.id)), 5000, 'the HLS folder to be removed');
  expect((await call(s.url, 'DELETE', `/api/admin/rooms/${room.id}`, { token: admin })).status).toBe(404);
});

test('a host token cannot delete; no token is 401', async () => {
  const { room, token } = await createRoom(s.url, 'kept');
  expect((await call(s.url, 'DELETE', `/api/admin/rooms/${room.id}`, { token })).status).toBe(403);
  expect((await call(s.url, 'DELETE', `/api/admin/rooms/${room.id}`)).status).toBe(401);
  expect((await call(s.url, 'GET', `/api/rooms/${room.id}`)).status).toBe(200);
});

// Restarting the server on the same DATA_DIR keeps rooms, sessions and the signing secret.
import type { Room } from '../../typings/api';
import { call, createRoom } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/test-server';

let first: TestServer;
let second: TestServer | undefined;
afterAll(async () => {
  await first?.stop(false).catch(() => undefined);
  await second?.stop(true);
});

test('rooms, their states, old session tokens and the admin token survive a restart', async () => {
  first = await startTestServer();
  const a = await createRoom(first.url, 'kept idle', 'keeper');
  const b = await createRoom(first.url, 'kept ended', 'keeper');
  await call(first.url, 'POST', `/api/rooms/${b.room.id}/end`, { token: b.token });
  const before = (await call(first.url, 'GET', '/api/rooms?limit=100')).body.rooms as Room[];
  const secrets = first.config.secrets;
  await first.stop(false);

  second = await startTestServer({ DATA_DIR: first.dataDir });
  expect(second.config.secrets).toEqual(secrets);
  const after = (await call(second.url, 'GET', '/api/rooms?limit=100')).body.rooms as Room[];
  expect(after).toEqual(before);
  expect(after.map((r) => [r.id, r.status])).toEqual([[b.room.id, 'ended'], [a.room.id, 'idle']]);
  // the session issued before the restart still works, and still owns its room
  const push = await call(second.url, 'POST', `/api/rooms/${a.room.id}/push`, { token: a.token });
  expect(push.status).toBe(200);
  expect((await call(second.url, 'GET', '/api/admin/stats', { token: secrets.adminToken })).body.rooms)
    .toEqual({ idle: 1, live: 0, ended: 1 });
  const again = await call(second.url, 'POST', `/api/rooms/${b.room.id}/end`, { token: b.token });
  expect(again.status).toBe(409);
});

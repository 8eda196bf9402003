import { call, login } from './helpers/http';
import { startTestServer, type TestServer } from './helpers/test-server';

let s: TestServer;
beforeAll(async () => { s = await startTestServer(); });
afterAll(async () => { await s.stop(true); });

test('health, login, create and list a room', async () => {
  expect((await call(s.url, 'GET', '/healthz')).body).toEqual({ status: 'ok' });
  const token = await login(s.url);
  const created = await call(s.url, 'POST', '/api/rooms', { token, body: { title: '  Hello  ' } });
  expect(created.status).toBe(201);
  expect(created.body.room.title).toBe('Hello');
  expect(created.body.push.url).toBe(`${created.body.push.server}/${created.body.push.streamKey}`);
  const list = await call(s.url, 'GET', '/api/rooms');
  expect(list.body.rooms.map((r: { id: string }) => r.id)).toEqual([created.body.room.id]);
});

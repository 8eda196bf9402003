// The chat as server/server.ts wires it: the real server (startTestServer) answers the room socket on its
// HTTP port, serves the scroll-back and the moderation, profile and guest routes (GUEST_CHAT, the admin ban at
// sign-in and room creation), and closes every socket with 1001 on shutdown.
import { CLOSE_GOING_AWAY } from '../../typings/chat';
import { call, createRoom, login } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { TestSocket } from './chat-server';
import { api, signIn } from './moderation-helpers';

let srv: TestServer | null = null;
const sockets: TestSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await srv?.stop(true);
});

test('startServer serves /api/rooms/:id/socket and GET /api/rooms/:id/messages, and closes sockets on shutdown', async () => {
  srv = await startTestServer();
  const wsUrl = srv.url.replace('http', 'ws');
  const { token, room } = await createRoom(srv.url);
  const viewer = await login(srv.url, 'viewer-b');
  const a = new TestSocket(wsUrl, room.id);
  const b = new TestSocket(wsUrl, room.id);
  sockets.push(a, b);
  await Promise.all([a.opened, b.opened]);
  a.send({ type: 'auth', token });
  b.send({ type: 'auth', token: viewer });
  await a.next('hello');
  await b.next('hello');
  a.send({ type: 'say', text: 'over the wire', nonce: 'w1' });
  expect((await b.next('message')).text).toBe('over the wire');
  expect((await a.next('message')).nonce).toBe('w1');
  const page = await call(srv.url, 'GET', `/api/rooms/${room.id}/messages`);
  expect(page.body.messages.map((m: { text: string }) => m.text)).toEqual(['over the wire']);
  const stopping = srv.stop(true);
  srv = null;
  await stopping;
  expect((await a.closed).code).toBe(CLOSE_GOING_AWAY);
});

test('startServer mounts moderation, PUT /api/me and guest sessions; an admin ban refuses sign-in and new rooms', async () => {
  srv = await startTestServer({ GUEST_PER_IP_PER_MIN: '1' });
  const admin = srv.config.secrets.adminToken;
  const host = await signIn(srv.url, 'host-a');
  const other = await signIn(srv.url, 'viewer-b');
  const { room } = (await api(srv.url, 'POST', '/api/rooms', { token: host.token, body: { title: 'Wired' } })).body;
  expect((await api(srv.url, 'PUT', `/api/rooms/${room.id}/chat`, { token: host.token, body: { slowModeS: 5, closed: false } })).status).toBe(200);
  expect((await api(srv.url, 'PUT', `/api/rooms/${room.id}/chat`, { token: other.token, body: { slowModeS: 5, closed: false } })).status).toBe(403);
  expect((await api(srv.url, 'PUT', '/api/me', { token: other.token, body: { nickname: 'Bee' } })).body.user.nickname).toBe('Bee');
  expect((await api(srv.url, 'POST', '/api/auth/login', { body: { code: 'viewer-b' } })).body.user.nickname).toBe('Bee');
  expect((await api(srv.url, 'POST', '/api/auth/guest', { body: { nickname: 'g' } })).status).toBe(200);
  const limited = await api(srv.url, 'POST', '/api/auth/guest', { body: { nickname: 'g' } });
  expect(limited.status).toBe(429);
  expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
  expect((await api(srv.url, 'POST', `/api/admin/users/${other.id}/ban`, { token: admin })).status).toBe(200);
  expect((await api(srv.url, 'POST', '/api/auth/login', { body: { code: 'viewer-b' } })).body.error.code).toBe('user_banned');
  expect((await api(srv.url, 'POST', '/api/rooms', { token: other.token, body: { title: 'No' } })).body.error.code).toBe('user_banned');
  expect((await api(srv.url, 'GET', '/api/admin/users/banned', { token: admin })).body.users.map((u: { userId: string }) => u.userId)).toEqual([other.id]);
});

test('GUEST_CHAT=off: POST /api/auth/guest answers 403 guest_chat_off', async () => {
  srv = await startTestServer({ GUEST_CHAT: 'off' });
  expect(await api(srv.url, 'POST', '/api/auth/guest', { body: { nickname: 'Ann' } }))
    .toMatchObject({ status: 403, body: { error: { code: 'guest_chat_off' } } });
});

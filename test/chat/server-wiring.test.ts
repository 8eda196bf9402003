// The chat as server/server.ts wires it: the real server (startTestServer) answers the room socket on its
// HTTP port, serves the scroll-back, and closes every socket with 1001 on shutdown.
import { CLOSE_GOING_AWAY } from '../../typings/chat';
import { call, createRoom, login } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { TestSocket } from './chat-server';

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

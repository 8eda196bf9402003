// CHAT_MAX_PER_IP through the real server, and HTTP_MAX_PER_IP never evicting an open room socket as "idle".
import { call, createRoom } from '../helpers/http';
import { sleep } from '../helpers/wait';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { TestSocket } from './chat-server';

let srv: TestServer | null = null;
const sockets: TestSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await srv?.stop(true);
});

async function open(wsUrl: string, roomId: string): Promise<TestSocket> {
  const s = new TestSocket(wsUrl, roomId);
  sockets.push(s);
  await s.opened;
  return s;
}

test('CHAT_MAX_PER_IP answers 429 on upgrade', async () => {
  srv = await startTestServer({ CHAT_MAX_PER_IP: '2' });
  const wsUrl = srv.url.replace('http', 'ws');
  const { room } = await createRoom(srv.url);
  await open(wsUrl, room.id);
  await open(wsUrl, room.id);
  const third = new TestSocket(wsUrl, room.id);
  sockets.push(third);
  expect(await third.refused).toBe(429);
});

test('an address at HTTP_MAX_PER_IP keeps its room sockets: they are busy, never evicted for a newcomer', async () => {
  srv = await startTestServer({ HTTP_MAX_PER_IP: '3' });
  const wsUrl = srv.url.replace('http', 'ws');
  const { room } = await createRoom(srv.url);
  // three room sockets fill the address's places (the idle keep-alive socket of createRoom is evicted for one)
  const room3 = [await open(wsUrl, room.id), await open(wsUrl, room.id), await open(wsUrl, room.id)];
  await call(srv.url, 'GET', `/api/rooms/${room.id}`).catch(() => null);
  await sleep(100);
  expect(room3.map((s) => s.ws.readyState)).toEqual([1, 1, 1]);
});

// The room socket tests' server and sockets: a real HTTP server on a loopback port (chat-server.ts) per test,
// `ws` clients that join a room and wait for their hello, all closed after each test.
import type { HelloFrame } from '../../typings/chat';
import { startChatServer, TestSocket, type ChatTestOptions, type ChatTestServer } from './chat-server';

export let srv: ChatTestServer;
export const sockets: TestSocket[] = [];

export async function serve(o: ChatTestOptions = {}): Promise<void> {
  srv = await startChatServer(o);
}

/** A socket in `roomId`, signed in with `token` (or a guest), once its hello has come. */
export async function join(roomId: string, token?: string): Promise<TestSocket & { hello: HelloFrame }> {
  const s = new TestSocket(srv.wsUrl, roomId);
  sockets.push(s);
  await s.opened;
  if (token) s.send({ type: 'auth', token });
  const hello = await s.next('hello');
  return Object.assign(s, { hello });
}

afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await srv?.close();
});

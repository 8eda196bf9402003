// The mini-program's chat client (services/room-chat over wx.connectSocket) against the real server's room
// socket: auth by first frame, a message reaching the other socket, the sender's echo matched by nonce (one
// line, not pending), likes summed, and the room ending → `ended` with no reconnect.
import { createApi } from '../../../miniprogram/services/client';
import { RoomChat, type ChatView } from '../../../miniprogram/services/room-chat';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { until } from '../../helpers/wait';
import { nodeSocketPort } from '../helpers/node-socket';
import { nodeWx } from '../helpers/node-wx';

let s: TestServer;
beforeAll(async () => { s = await startTestServer(); });
afterAll(async () => { await s.stop(true); });

const RETRY = { baseMs: 50, factor: 2, maxMs: 200, maxTries: 3, jitter: 0 };

function client(roomId: string, code: string) {
  const wx = nodeWx(code);
  const api = createApi(s.url, () => wx);
  const port = nodeSocketPort();
  const seen: { view: ChatView | null; notices: string[]; states: string[] } = { view: null, notices: [], states: [] };
  const chat = new RoomChat({
    roomId, apiBase: s.url, wx: () => port, retry: RETRY, likeWindowMs: 50, maxLines: 100,
    token: () => api.session.current()?.token ?? null,
    listener: {
      onView: (v) => { seen.view = v; },
      onNotice: (c) => { seen.notices.push(c); },
      onRoomState: (st) => { seen.states.push(st); },
      onConnection: () => undefined,
    },
  });
  return { api, chat, seen, port };
}

test('two clients in one room: message, echo by nonce, likes, and the end of the room', async () => {
  // the same login code is the same user: this client only creates the room
  const { room } = await client('', 'chat-contract-host').api.createRoom({ title: 'Chat contract' });
  const h = client(room.id, 'chat-contract-host');
  await h.api.session.signIn();
  const v = client(room.id, 'chat-contract-viewer');
  await v.api.session.signIn();
  h.chat.start();
  v.chat.start();
  await until(() => !!h.seen.view?.you && !!v.seen.view?.you, 5000, 'both signed in');

  expect(v.chat.say('  hello from the viewer  ')).toBe('sent');
  await until(() => (h.seen.view?.lines.length ?? 0) === 1, 5000, 'host sees the message');
  expect(h.seen.view!.lines[0]).toMatchObject({ text: 'hello from the viewer', pending: false, mine: false });
  await until(() => v.seen.view!.lines.every((l) => !l.pending), 5000, 'echo');
  expect(v.seen.view!.lines).toEqual([expect.objectContaining({ text: 'hello from the viewer', mine: true, pending: false })]);

  for (let i = 0; i < 3; i++) v.chat.like();
  await until(() => (h.seen.view?.likes ?? 0) >= 3, 5000, 'likes reach the host');

  await h.api.endRoom(room.id);
  await until(() => v.seen.states.includes('ended'), 5000, 'ended');
  await new Promise((r) => setTimeout(r, 300));
  expect(v.port.open).toHaveLength(1); // 4004: no reconnect
  h.chat.stop();
  v.chat.stop();
});

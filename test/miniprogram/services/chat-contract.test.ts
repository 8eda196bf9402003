// The mini-program's chat client (services/room-chat over wx.connectSocket) against the real server's room
// socket: auth by first frame, a message reaching the other socket, the sender's echo matched by nonce (one
// line, not pending), likes summed, the host's moderation calls (delete, mute 10 min, ban) as the clients see
// them, and the room ending → `ended` with no reconnect.
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

test('two clients in one room: message, echo by nonce, likes, moderation, and the end of the room', async () => {
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

  // moderation through the services layer, as the host page's long-press menu calls it
  const line = h.seen.view!.lines[0];
  await h.api.deleteMessage(room.id, line.id);
  await until(() => v.seen.view!.lines.length === 0 && h.seen.view!.lines.length === 0, 5000, 'deleted everywhere');
  await h.api.muteUser(room.id, line.userId, 10);
  expect(v.chat.say('still here?')).toBe('sent');
  await until(() => v.seen.notices.includes('muted'), 5000, 'muted notice');
  expect(v.seen.view!.lines).toEqual([]); // the refused line is gone
  const err = await v.api.deleteMessage(room.id, line.id).catch((e) => e);
  expect(err).toMatchObject({ status: 403, code: 'not_room_host' });
  await h.api.banUser(room.id, line.userId);
  await until(() => v.seen.notices.includes('banned'), 5000, 'banned');
  await new Promise((r) => setTimeout(r, 200));
  expect(v.port.open).toHaveLength(1); // 4001: no reconnect

  await h.api.endRoom(room.id);
  await until(() => h.seen.states.includes('ended'), 5000, 'ended');
  await new Promise((r) => setTimeout(r, 300));
  expect(h.port.open).toHaveLength(1); // 4004: no reconnect
  h.chat.stop();
  v.chat.stop();
});

/** @jest-environment jsdom */
// The host page's chat over a scripted wx.connectSocket: the audience's messages, likes and viewers; a long-press
// on a line offers delete / mute 10 min / ban, called in that order through the services layer, refusals shown
// by the API's code; `state ended` from elsewhere → the ended state; onHide/onShow close and reopen the socket.
import { FakeWx } from '../helpers/fake-wx';
import type { FakeSocket } from '../helpers/fake-socket';
import { chatMsg, hello, messageFrame } from '../helpers/chat-frames';
import * as fx from '../helpers/fixtures';
import { $, $$, fire, renderPage, simWx, stubBuiltin, text, until, useFakeWx, useLanguage, type SimComponent } from '../helpers/simulate';

stubBuiltin('live-pusher', { url: String, mode: String, autopush: Boolean });

const ROOM = 'HHHHHHHHHHH2';
const MSG = `/api/rooms/${ROOM}/messages/${chatMsg(2, 'troll').id}`;
let fake: FakeWx;
let sheets: string[][];
let choice: number;

beforeEach(() => {
  useLanguage('en');
  fake = new FakeWx();
  useFakeWx(fake);
  sheets = [];
  choice = 0;
  simWx().createLivePusherContext = () => ({ start() {}, stop(o?: { success?: () => void }) { o?.success?.(); }, startPreview() {} });
  simWx().showActionSheet = (o: { itemList: string[]; success: (r: { tapIndex: number }) => void }) => {
    sheets.push(o.itemList);
    setTimeout(() => o.success({ tapIndex: choice }), 0);
  };
  fake.on('POST /api/auth/login', { status: 200, body: fx.loginAt(Math.floor(Date.now() / 1000) + 86400, 'host-token') });
  fake.on('POST /api/rooms', { status: 201, body: fx.created(ROOM, 'My show') });
});

async function ready(): Promise<{ page: SimComponent; sock: FakeSocket }> {
  const page = renderPage('host');
  page.instance.setData({ title: 'My show' });
  await page.instance.onCreate();
  await until(() => fake.sockets.length === 1, 'socket');
  const sock = fake.socket!;
  expect(sock.url).toBe(`ws://localhost:8080/api/rooms/${ROOM}/socket`);
  sock.open();
  await until(() => sock.of('auth').length === 1, 'auth');
  expect(sock.of('auth')[0].token).toBe('host-token');
  sock.frame(hello({ roomId: ROOM, you: fx.HOST.user, history: [chatMsg(1), chatMsg(2, 'troll', 'spam spam')], viewers: 8, likes: 30 }));
  await until(() => $$(page, '.chat-line').length === 2, 'history');
  return { page, sock };
}

test('the host sees the same messages, the like total and viewers from frames', async () => {
  const { page, sock } = await ready();
  expect(text($(page, '.chat-viewers'))).toBe('8 watching');
  expect(text($(page, '.like-total'))).toBe('30 likes');
  sock.frame(messageFrame(chatMsg(3, 'fan', 'great show')));
  sock.frame({ type: 'likes', total: 45 });
  sock.frame({ type: 'viewers', count: 9 });
  await until(() => $$(page, '.chat-line').length === 3 && text($(page, '.like-total')) === '45 likes', 'frames');
  expect(text($$(page, '.chat-text')[2])).toBe('great show');
  expect(text($(page, '.chat-viewers'))).toBe('9 watching');
  page.instance.onUnload();
  expect(sock.state).toBe('closed');
});

test('long-press: delete, mute 10 min, ban — each through the API, in the order chosen', async () => {
  fake.on(`DELETE ${MSG}`, { status: 204, body: '' });
  fake.on(`POST /api/rooms/${ROOM}/mutes`, { status: 201, body: { mute: { userId: 'troll' } } });
  fake.on(`POST /api/rooms/${ROOM}/bans`, { status: 201, body: { ban: { userId: 'troll' } } });
  const { page } = await ready();
  const line = page.querySelectorAll('.chat-line')[1];
  for (const [i, done] of ['Deleted', 'Muted for 10 minutes', 'Banned'].entries()) {
    choice = i;
    await fire(line, 'longpress');
    await until(() => text($(page, '.chat-notice')) === done, done);
  }
  expect(sheets).toEqual(Array(3).fill(['Delete message', 'Mute for 10 minutes', 'Ban from the room']));
  const moderation = fake.requests.filter((r) => r.path.startsWith(`/api/rooms/${ROOM}/`));
  expect(moderation.map((r) => [r.method, r.path, r.data])).toEqual([
    ['DELETE', MSG, undefined],
    ['POST', `/api/rooms/${ROOM}/mutes`, { userId: 'troll', minutes: 10 }],
    ['POST', `/api/rooms/${ROOM}/bans`, { userId: 'troll' }],
  ]);
  for (const r of moderation) expect(r.header.Authorization).toBe('Bearer host-token');
  page.instance.onUnload();
});

test('a refused moderation call shows the text for the API\'s code; an unknown code shows the server\'s message', async () => {
  fake.on(`DELETE ${MSG}`, { status: 403, body: { error: { code: 'not_room_host', message: 'Only the host of this room may do that.' } } });
  fake.on(`POST /api/rooms/${ROOM}/bans`, { status: 409, body: { error: { code: 'already_banned', message: 'That user is banned already.' } } });
  const { page, sock } = await ready();
  const line = page.querySelectorAll('.chat-line')[1];
  choice = 0;
  await fire(line, 'longpress');
  await until(() => text($(page, '.chat-notice')) === 'Only the host can moderate this chat', 'forbidden');
  choice = 2;
  await fire(line, 'longpress');
  await until(() => text($(page, '.chat-notice')) === 'That user is banned already.', 'server message');
  // a deletion seen on the socket removes the line
  sock.frame({ type: 'deleted', id: chatMsg(2, 'troll').id });
  await until(() => $$(page, '.chat-line').length === 1, 'deleted');
  page.instance.onUnload();
});

test('`state ended` (ended elsewhere) → the ended state; onHide/onShow close and reopen the socket', async () => {
  const { page, sock } = await ready();
  page.instance.onHide();
  expect(sock.closedBy).toEqual({ code: 1000, reason: 'background' });
  page.instance.onShow();
  expect(fake.sockets).toHaveLength(2);
  const again = fake.socket!;
  again.open();
  again.frame({ type: 'state', status: 'ended' });
  again.drop(4004);
  await until(() => page.data.stage === 'ended', 'ended');
  expect(text($(page, '.ended'))).toContain('Thanks');
  expect(fake.sockets).toHaveLength(2);
  page.instance.onUnload();
});

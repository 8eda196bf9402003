/** @jest-environment jsdom */
// The audience page's chat over a scripted wx.connectSocket: history and live messages in the cover-view overlay,
// the sender's echo matched by nonce (one line), history deduped across a reconnect, likes batched (≤ 1 frame per
// 250 ms, count ≤ 50) with floating hearts and the live total, viewers from frames, notices from the message
// table, `state ended` → the ended state, onHide/onShow closing and reopening the socket, the nickname sheet.
import { CONFIG } from '../../../miniprogram/config';
import { SESSION_KEY } from '../../../miniprogram/services/session';
import { FakeWx } from '../helpers/fake-wx';
import type { FakeSocket } from '../helpers/fake-socket';
import { chatMsg, hello, messageFrame } from '../helpers/chat-frames';
import * as fx from '../helpers/fixtures';
import { $, $$, fire, renderPage, simWx, stubBuiltin, text, until, useFakeWx, useLanguage, type SimComponent } from '../helpers/simulate';

stubBuiltin('live-player', { src: String, mode: String, autoplay: Boolean, muted: Boolean });
stubBuiltin('video', { src: String, controls: Boolean, autoplay: Boolean });
stubBuiltin('input', { type: String, value: String, maxlength: Number, placeholder: String });

CONFIG.chatRetry = { baseMs: 20, factor: 2, maxMs: 80, maxTries: 5, jitter: 0 };
CONFIG.viewerRefreshMs = 60_000;

const ROOM = 'CCCCCCCCCCC1';
const ME = fx.HOST.user; // the stored session's user
let fake: FakeWx;
let roomStatus: 'live' | 'ended';

beforeEach(() => {
  useLanguage('en');
  fake = new FakeWx();
  useFakeWx(fake);
  roomStatus = 'live';
  simWx().createLivePlayerContext = () => ({ play() {}, stop() {}, requestFullScreen() {}, exitFullScreen() {} });
  fake.on(`GET /api/rooms/${ROOM}`, () => ({ status: 200, body: { room: fx.room({ id: ROOM, title: 'Concert', status: roomStatus, viewers: 3 }) } }));
  fake.on(`GET /api/rooms/${ROOM}/play`, () => (roomStatus === 'ended' ? { status: 409, body: fx.roomEnded(ROOM) } : { status: 200, body: fx.play(ROOM) }));
});

function signIn(token = 'tok-stored') {
  const s = fx.loginAt(Math.floor(Date.now() / 1000) + 86400, token); // fx.login's expiry is relative to fx.NOW, long past
  fake.storage.set(SESSION_KEY, { token: s.token, expiresAt: s.expiresAt, user: s.user });
}

async function open(): Promise<{ page: SimComponent; sock: FakeSocket }> {
  const page = renderPage('audience');
  await page.instance.onLoad({ id: ROOM });
  await until(() => fake.sockets.length === 1, 'socket');
  const sock = fake.socket!;
  sock.open();
  return { page, sock };
}

const lines = (page: SimComponent) => $$(page, '.chat-line').map((n) => text(n.querySelector('.main--chat-text')));

test('the socket goes to ws://<api>/api/rooms/:id/socket, auth first; history and messages render in cover-view over the player', async () => {
  signIn();
  const { page, sock } = await open();
  expect(sock.url).toBe(`ws://localhost:8080/api/rooms/${ROOM}/socket`);
  await until(() => sock.sent.length === 1, 'auth');
  expect(sock.sent[0]).toEqual({ type: 'auth', token: 'tok-stored' });
  sock.frame(hello({ roomId: ROOM, you: ME, history: [chatMsg(1), chatMsg(2)], viewers: 42, likes: 7 }));
  await until(() => lines(page).length === 2, 'history');
  expect(lines(page)).toEqual(['message 1', 'message 2']);
  // the overlay is a cover-view inside live-player (what renders over the native player)
  const overlay = page.querySelector('#player')!.dom.querySelector('wx-cover-view');
  expect(overlay).not.toBeNull();
  expect(text($(page, '.viewers'))).toBe('42 watching');
  expect(text($(page, '.like-total'))).toBe('7 likes');
  sock.frame(messageFrame(chatMsg(3, 'viewer-2', 'hi there')));
  sock.frame({ type: 'viewers', count: 43 });
  sock.frame({ type: 'likes', total: 20 });
  await until(() => lines(page).length === 3 && text($(page, '.like-total')) === '20 likes', 'live frames');
  expect(text($$(page, '.chat-nick')[2])).toBe('nick viewer-2');
  expect(text($(page, '.viewers'))).toBe('43 watching');
  sock.frame({ type: 'deleted', id: chatMsg(1).id });
  await until(() => lines(page).length === 2, 'deleted');
  page.instance.onUnload();
});

test('sending: the pending line becomes the echo matched by nonce (no duplicate); a guest signs in first', async () => {
  fake.on('POST /api/auth/login', { status: 200, body: fx.login('tok-new') });
  const { page, sock } = await open();
  sock.frame(hello({ roomId: ROOM, you: null }));
  await until(() => page.data.likeTotal !== '', 'hello');
  expect(sock.sent).toEqual([]); // a guest: no auth frame
  page.instance.setData({ chatDraft: '  hello all  ' });
  await fire(page.querySelector('.chat-send')!, 'tap');
  await until(() => sock.of('auth').length === 1, 'auth after sign-in');
  expect(sock.of('auth')[0].token).toBe('tok-new');
  expect(lines(page)).toEqual(['hello all']); // shown at once, pending
  expect($(page, '.chat-line.pending')).not.toBeNull();
  expect(page.data.chatDraft).toBe('');
  expect(sock.of('say')).toEqual([]); // waits for the hello that names the user
  sock.frame(hello({ roomId: ROOM, you: ME }));
  await until(() => sock.of('say').length === 1, 'say');
  const say = sock.of('say')[0];
  expect(say.text).toBe('hello all');
  expect(say.nonce).toEqual(expect.any(String));
  sock.frame(messageFrame(chatMsg(9, ME.id, 'hello all'), say.nonce));
  await until(() => $(page, '.chat-line.pending') === null, 'echo');
  expect(lines(page)).toEqual(['hello all']);
  expect($(page, '.chat-line.mine')).not.toBeNull();
  page.instance.onUnload();
});

test('a drop reconnects with backoff and the new hello\'s history is merged by id (no duplicates)', async () => {
  signIn();
  const { page, sock } = await open();
  sock.frame(hello({ roomId: ROOM, you: ME, history: [chatMsg(1), chatMsg(2)] }));
  await until(() => lines(page).length === 2, 'history');
  sock.frame(messageFrame(chatMsg(3)));
  await until(() => lines(page).length === 3, 'live message');
  sock.drop(1006);
  await until(() => fake.sockets.length === 2, 'reconnect');
  const again = fake.socket!;
  again.open();
  await until(() => again.of('auth').length === 1, 'auth again');
  again.frame(hello({ roomId: ROOM, you: ME, history: [chatMsg(2), chatMsg(3), chatMsg(4)] }));
  await until(() => lines(page).length === 4, 'merged history');
  expect(lines(page)).toEqual(['message 1', 'message 2', 'message 3', 'message 4']);
  page.instance.onUnload();
});

test('likes: taps are batched into one frame per 250 ms (count ≤ 50), hearts float, the total moves at once', async () => {
  signIn();
  const { page, sock } = await open();
  sock.frame(hello({ roomId: ROOM, you: ME, likes: 10 }));
  await until(() => page.data.likeTotal === '10 likes', 'hello');
  const like = page.querySelector('.like-button')!;
  for (let i = 0; i < 3; i++) await fire(like, 'tap');
  expect(text($(page, '.like-total'))).toBe('13 likes');
  expect($$(page, '.heart').length).toBe(3);
  expect(sock.of('like')).toEqual([]);
  await until(() => sock.of('like').length === 1, 'first batch');
  expect(sock.of('like')).toEqual([{ type: 'like', count: 3 }]);
  const t0 = Date.now();
  for (let i = 0; i < 60; i++) page.instance.onLike();
  await until(() => sock.of('like').length === 3, 'two more batches', 3000);
  expect(sock.of('like').map((f) => f.count)).toEqual([3, 50, 10]);
  expect(Date.now() - t0).toBeGreaterThanOrEqual(2 * 250 - 20);
  await until(() => $$(page, '.heart').length === 0, 'hearts gone', 3000);
  page.instance.onUnload();
});

test('notices show the message table\'s text (en), and a refused send loses its pending line', async () => {
  signIn();
  const { page, sock } = await open();
  sock.frame(hello({ roomId: ROOM, you: ME }));
  await until(() => page.data.likeTotal !== '', 'hello');
  const expected: Record<string, string> = {
    muted: 'You are muted in this room',
    rate_limited: 'You are sending too fast; wait a moment',
    slow_mode: 'Slow mode is on: wait a little before sending again',
    content_rejected: 'That message was refused by the content check',
    banned: 'You are banned from this room\'s chat',
    auth_required: 'Sign in to chat',
  };
  for (const [code, sentence] of Object.entries(expected)) {
    page.instance.setData({ chatDraft: `try ${code}` });
    await page.instance.onChatSend();
    expect(lines(page)).toEqual([`try ${code}`]);
    sock.frame({ type: 'notice', code: code as never, message: 'server words' });
    await until(() => text($(page, '.chat-notice')) === sentence, `notice ${code}`);
    expect(lines(page)).toEqual([]);
  }
  page.instance.onUnload();
});

test('`state ended` shows the page\'s ended state and the socket is not reopened', async () => {
  const { page, sock } = await open();
  sock.frame(hello({ roomId: ROOM }));
  await until(() => page.data.likeTotal !== '', 'hello');
  roomStatus = 'ended';
  sock.frame({ type: 'state', status: 'ended' });
  sock.drop(4004);
  await until(() => page.data.stage === 'ended', 'ended');
  expect(text($(page, '.ended-title'))).toBe('Broadcast ended');
  await new Promise((r) => setTimeout(r, 100));
  expect(fake.sockets).toHaveLength(1);
  page.instance.onUnload();
});

test('onHide closes the socket (no retry in the background); onShow opens a new one', async () => {
  signIn();
  const { page, sock } = await open();
  sock.frame(hello({ roomId: ROOM, you: ME }));
  await until(() => page.data.likeTotal !== '', 'hello');
  page.instance.onHide();
  expect(sock.state).toBe('closed');
  expect(sock.closedBy).toEqual({ code: 1000, reason: 'background' });
  await new Promise((r) => setTimeout(r, 100));
  expect(fake.sockets).toHaveLength(1);
  page.instance.onShow();
  expect(fake.sockets).toHaveLength(2);
  page.instance.onUnload();
  expect(fake.socket!.state).toBe('closed');
});

test('the nickname sheet: WeChat\'s nickname input, 1–20 characters, saved with PUT /api/me', async () => {
  signIn();
  fake.on('PUT /api/me', (req) => ({ status: 200, body: { user: { id: ME.id, nickname: (req.data as { nickname: string }).nickname } } }));
  const { page, sock } = await open();
  sock.frame(hello({ roomId: ROOM, you: ME }));
  await until(() => page.data.likeTotal !== '', 'hello');
  await fire(page.querySelector('.open-profile')!, 'tap');
  await until(() => $(page, '.profile-sheet') !== null, 'sheet');
  const input = page.querySelector('.nickname-input')!;
  expect(input.data).toMatchObject({ type: 'nickname', value: ME.nickname }); // WeChat's nickname input, prefilled
  expect(text($(page, '.profile-title'))).toBe('Set your nickname');
  await fire(input, 'input', { value: '   ' });
  await page.instance.onSaveNickname();
  expect(text($(page, '.profile-error'))).toBe('The nickname cannot be empty');
  await fire(input, 'input', { value: 'x'.repeat(21) });
  await page.instance.onSaveNickname();
  expect(text($(page, '.profile-error'))).toBe('Nicknames are at most 20 characters');
  expect(fake.to('/api/me')).toHaveLength(0);
  await fire(input, 'blur', { value: ' 小明 ' });
  await page.instance.onSaveNickname();
  expect(fake.to('/api/me')).toEqual([expect.objectContaining({ method: 'PUT', data: { nickname: '小明' } })]);
  expect(fake.to('/api/me')[0].header.Authorization).toBe('Bearer tok-stored');
  await until(() => $(page, '.profile-sheet') === null, 'sheet closed');
  expect(text($(page, '.chat-notice'))).toBe('Nickname saved');
  expect((fake.storage.get(SESSION_KEY) as { user: { nickname: string } }).user.nickname).toBe('小明');
  // the socket authenticates again so the new name is the one on the next messages
  await until(() => sock.of('auth').length === 2, 're-auth');
  page.instance.onUnload();
});

test('zh-CN: the chat bar, the like total and a notice in Chinese', async () => {
  useLanguage('zh_CN');
  signIn();
  const { page, sock } = await open();
  sock.frame(hello({ roomId: ROOM, you: ME, likes: 12345 }));
  await until(() => page.data.likeTotal !== '', 'hello');
  expect(text($(page, '.like-total'))).toBe('1.2万 赞');
  expect(text($(page, '.chat-send'))).toBe('发送');
  expect(text($(page, '.open-profile'))).toBe('昵称');
  sock.frame({ type: 'notice', code: 'slow_mode', message: 'Slow mode' });
  await until(() => text($(page, '.chat-notice')) === '慢速模式已开启，请稍候再发', 'zh notice');
  page.instance.onUnload();
});

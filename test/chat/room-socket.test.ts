// The room socket end to end: real `ws` clients against a real HTTP server on a loopback port (chat-server.ts),
// with the real RoomService, LoginService and ChatService over SQLite.
import type { MessagePageResponse } from '../../typings/chat';
import { CLOSE_ROOM_GONE, HISTORY_SIZE } from '../../typings/chat';
import { call, createRoom, login } from '../helpers/http';
import { sleep } from '../helpers/wait';
import { TestSocket } from './chat-server';
import { join, serve, sockets, srv } from './room-socket-kit';

describe('two sockets in one room', () => {
  beforeEach(() => serve());

  test('a message from one reaches the other; the sender\'s echo carries its nonce, the other copy none', async () => {
    const { token: host, room } = await createRoom(srv.url, 'Chat room', 'host-a');
    const viewer = await login(srv.url, 'viewer-b');
    const a = await join(room.id, host);
    const b = await join(room.id, viewer);
    expect(a.hello.you).toEqual({ id: room.hostId, nickname: 'dev-host-a' });
    expect(a.hello.room).toEqual({ id: room.id, title: 'Chat room', hostId: room.hostId, status: 'idle' });
    expect(a.hello).toMatchObject({ viewers: 0, likes: 0, history: [], settings: { slowModeS: 0, closed: false } });
    expect(b.hello.you?.nickname).toBe('dev-viewer-b');

    a.send({ type: 'say', text: '  你好，大家 👋  ', nonce: 'n-1' });
    const got = await b.next('message');
    const echo = await a.next('message');
    expect(got).toEqual({ type: 'message', id: expect.any(String), user: { id: room.hostId, nickname: 'dev-host-a' }, text: '你好，大家 👋', at: expect.any(String) });
    expect(echo).toEqual({ ...got, nonce: 'n-1' });
    expect(Date.parse(got.at)).toBeGreaterThan(Date.now() - 5000);
  });

  test('history on connect: the last messages, oldest first, to a guest (you: null)', async () => {
    const { token, room } = await createRoom(srv.url);
    const a = await join(room.id, token);
    for (const text of ['one', 'two', 'three']) a.send({ type: 'say', text });
    await a.next('message', (m) => m.text === 'three');
    const guest = await join(room.id);
    expect(guest.hello.you).toBeNull();
    expect(guest.hello.history.map((m) => m.text)).toEqual(['one', 'two', 'three']);
    // once everyone has left, the next socket's history comes from the store
    a.close();
    guest.close();
    for (let i = 0; i < 80 && srv.chat.sockets(room.id) > 0; i++) await sleep(25);
    expect(srv.chat.sockets(room.id)).toBe(0);
    expect((await join(room.id)).hello.history.map((m) => m.text)).toEqual(['one', 'two', 'three']);
  });

  test('a guest cannot send: it is told auth_required and nothing reaches the others; a bad token stays a guest', async () => {
    const { token, room } = await createRoom(srv.url);
    const a = await join(room.id, token);
    const guest = await join(room.id);
    guest.send({ type: 'say', text: 'let me in', nonce: 'g' });
    expect(await guest.next('notice')).toMatchObject({ code: 'auth_required' });
    const forged = await join(room.id, `${token.split('.')[0]}.AAAA`);
    expect(forged.hello.you).toBeNull();
    expect(forged.of('notice')[0]).toMatchObject({ code: 'auth_failed' });
    forged.send({ type: 'say', text: 'me neither' });
    await forged.next('notice', (n) => n.code === 'auth_required');
    a.send({ type: 'say', text: 'marker' });
    await guest.next('message', (m) => m.text === 'marker');
    expect(guest.of('message').map((m) => m.text)).toEqual(['marker']);
    expect(a.of('message').map((m) => m.text)).toEqual(['marker']);
  });

  test('text is 1–200 characters after trim (an emoji counts one); outside that the sender gets invalid_frame', async () => {
    const { token, room } = await createRoom(srv.url);
    const a = await join(room.id, token);
    a.send({ type: 'say', text: '   ' });
    a.send({ type: 'say', text: 'x'.repeat(201) });
    await a.next('notice', (_n) => a.of('notice').length >= 2);
    expect(a.of('notice').map((n) => n.code)).toEqual(['invalid_frame', 'invalid_frame']);
    a.send({ type: 'say', text: '😀'.repeat(200) });
    expect((await a.next('message')).text).toBe('😀'.repeat(200));
  });
});

describe('likes and viewers', () => {
  test('likes are summed into the total, shown to every socket and in the next hello, at most 4 frames a second', async () => {
    await serve();
    const { token, room } = await createRoom(srv.url);
    const a = await join(room.id, token);
    const b = await join(room.id);
    const started = Date.now();
    for (let i = 0; i < 20; i++) a.send({ type: 'like', count: 10 });
    await b.next('likes', (l) => l.total === 200, 5000);
    const elapsedS = (Date.now() - started) / 1000;
    expect(b.of('likes').length).toBeLessThanOrEqual(Math.ceil(elapsedS * 4) + 1);
    a.send({ type: 'like', count: 51 });
    a.send({ type: 'like', count: 0 });
    await a.next('notice', () => a.of('notice').length >= 2);
    expect(a.of('notice').map((n) => n.code)).toEqual(['invalid_frame', 'invalid_frame']);
    expect((await join(room.id)).hello.likes).toBe(200);
    expect(await srv.chatStore.likes(room.id)).toBe(200);
    for (const s of sockets) s.close();
    for (let i = 0; i < 80 && srv.chat.sockets(room.id) > 0; i++) await sleep(25);
    expect((await join(room.id)).hello.likes).toBe(200); // from the store
  });

  test('like frames beyond 10 a second per socket (burst 20) are dropped', async () => {
    await serve();
    const { room } = await createRoom(srv.url);
    const a = await join(room.id);
    for (let i = 0; i < 60; i++) a.send({ type: 'like', count: 50 });
    await a.next('likes', (l) => l.total >= 1000);
    await sleep(600);
    const total = await srv.chatStore.likes(room.id);
    expect(total).toBeGreaterThanOrEqual(1000);
    expect(total).toBeLessThanOrEqual(1100); // 20 frames of burst, maybe one or two refilled meanwhile
  });

  test('viewers: the media count, sent on change', async () => {
    await serve({ chat: { viewersEveryMs: 100 } });
    const { room } = await createRoom(srv.url);
    srv.viewers.counts.set(room.id, 3);
    const a = await join(room.id);
    expect(a.hello.viewers).toBe(3);
    srv.viewers.counts.set(room.id, 4);
    await a.next('viewers', (v) => v.count === 4);
    await sleep(350);
    expect(a.of('viewers')).toHaveLength(1);
  });
});

describe('room lifecycle', () => {
  beforeEach(() => serve());

  test('going live sends state live; ending sends state ended, then closes every socket with 4004', async () => {
    const { token, room } = await createRoom(srv.url);
    const a = await join(room.id, token);
    const b = await join(room.id);
    await srv.rooms.publisherStarted(room.id);
    await b.next('state', (s) => s.status === 'live');
    const end = await call(srv.url, 'POST', `/api/rooms/${room.id}/end`, { token });
    expect(end.status).toBe(200);
    for (const s of [a, b]) {
      const closed = await s.closed;
      expect(closed.code).toBe(CLOSE_ROOM_GONE);
      expect(s.frames[s.frames.length - 1]).toEqual({ type: 'state', status: 'ended' });
    }
    const late = new TestSocket(srv.wsUrl, room.id);
    sockets.push(late);
    expect((await late.closed).code).toBe(CLOSE_ROOM_GONE);
  });

  test('deleting a room closes its sockets (4004) and deletes its messages and likes', async () => {
    const { token, room } = await createRoom(srv.url);
    const a = await join(room.id, token);
    a.send({ type: 'say', text: 'soon gone' });
    a.send({ type: 'like', count: 3 });
    await a.next('likes');
    await srv.rooms.delete(room.id, { kind: 'admin' });
    expect((await a.closed).code).toBe(CLOSE_ROOM_GONE);
    for (let i = 0; i < 40 && (await srv.chatStore.listMessages(room.id, { limit: 1 })).length > 0; i++) await sleep(25);
    expect(await srv.chatStore.listMessages(room.id, { limit: 10 })).toEqual([]);
    expect(await srv.chatStore.likes(room.id)).toBe(0);
  });
});

describe('GET /api/rooms/:id/messages', () => {
  test('scroll-back pages newest first with nextBefore; hello history is the last 50', async () => {
    await serve({ chat: { sendRate: { perSecond: 1000, burst: 1000 } } });
    const { token, room } = await createRoom(srv.url);
    const a = await join(room.id, token);
    const n = HISTORY_SIZE + 5;
    for (let i = 1; i <= n; i++) a.send({ type: 'say', text: `m${i}` });
    await a.next('message', (m) => m.text === `m${n}`, 10_000);

    const texts: string[] = [];
    let before: string | null = null;
    let pages = 0;
    do {
      const q: string = before ? `?limit=20&before=${before}` : '?limit=20';
      const r = await call<MessagePageResponse>(srv.url, 'GET', `/api/rooms/${room.id}/messages${q}`);
      expect(r.status).toBe(200);
      expect(r.body.messages.length).toBeLessThanOrEqual(20);
      texts.push(...r.body.messages.map((m) => m.text));
      before = r.body.nextBefore;
      pages++;
    } while (before);
    expect(pages).toBe(3);
    expect(texts).toEqual(Array.from({ length: n }, (_, i) => `m${n - i}`));

    const first = await call<MessagePageResponse>(srv.url, 'GET', `/api/rooms/${room.id}/messages`);
    expect(first.body.messages).toHaveLength(HISTORY_SIZE);
    const hello = (await join(room.id)).hello;
    expect(hello.history.map((m) => m.text)).toEqual(Array.from({ length: HISTORY_SIZE }, (_, i) => `m${i + 6}`));
    expect(first.body.messages[0]).toEqual({ id: expect.any(String), user: { id: room.hostId, nickname: 'dev-host-a' }, text: `m${n}`, at: expect.any(String) });
  });

  test('unknown room 404, bad before or limit 400; works for an ended room (replay)', async () => {
    await serve();
    const { token, room } = await createRoom(srv.url);
    expect((await call(srv.url, 'GET', '/api/rooms/AAAAAAAAAAAA/messages')).status).toBe(404);
    expect((await call(srv.url, 'GET', '/api/rooms/bad/messages')).status).toBe(404);
    expect((await call(srv.url, 'GET', `/api/rooms/${room.id}/messages?before=x`)).status).toBe(400);
    expect((await call(srv.url, 'GET', `/api/rooms/${room.id}/messages?limit=101`)).status).toBe(400);
    const a = await join(room.id, token);
    a.send({ type: 'say', text: 'kept' });
    await a.next('message');
    await call(srv.url, 'POST', `/api/rooms/${room.id}/end`, { token });
    const r = await call<MessagePageResponse>(srv.url, 'GET', `/api/rooms/${room.id}/messages`);
    expect(r.body).toEqual({ messages: [expect.objectContaining({ text: 'kept' })], nextBefore: null });
  });
});

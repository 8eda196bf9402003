// Accounts around the chat (issue 13), over real HTTP and sockets: the admin's global ban and its undo,
// nicknames (PUT /api/me) and guest sessions (POST /api/auth/guest, GUEST_CHAT=off).
import { CLOSE_BANNED, NICKNAME_MAX_CHARS } from '../../typings/chat';
import { ADMIN_TOKEN, startChatServer, type ChatTestOptions, type ChatTestServer } from './chat-server';
import { api, newRoom, signIn, Sockets } from './moderation-helpers';

let srv: ChatTestServer;
const sockets = new Sockets(() => srv);

async function serve(o: ChatTestOptions = {}): Promise<void> {
  srv = await startChatServer(o);
}

afterEach(async () => {
  sockets.closeAll();
  await srv?.close();
});

describe('admin: users banned everywhere', () => {
  beforeEach(() => serve());

  test('POST /api/admin/users/:id/ban kicks the user (4001) in every room, refuses their messages, sign-in and new rooms; DELETE undoes it', async () => {
    const host = await signIn(srv.url, 'host-a');
    const bad = await signIn(srv.url, 'troll');
    const room1 = await newRoom(srv.url, host, 'One');
    const room2 = await newRoom(srv.url, host, 'Two');
    const watcher = await sockets.join(room1, host.token);
    const in1 = await sockets.join(room1, bad.token);
    const in2 = await sockets.join(room2, bad.token);

    const r = await api(srv.url, 'POST', `/api/admin/users/${bad.id}/ban`, { token: ADMIN_TOKEN });
    expect(r).toMatchObject({ status: 200, body: { ban: { userId: bad.id, at: expect.any(String) } } });
    for (const s of [in1, in2]) expect((await s.closed).code).toBe(CLOSE_BANNED);
    expect(watcher.ws.readyState).toBe(watcher.ws.OPEN);

    // a new socket with the old token is closed at sign-in; the token no longer creates rooms or signs in anew
    const again = await sockets.join(room2);
    again.send({ type: 'auth', token: bad.token });
    expect((await again.closed).code).toBe(CLOSE_BANNED);
    expect(await api(srv.url, 'POST', '/api/rooms', { token: bad.token, body: { title: 'Mine' } }))
      .toMatchObject({ status: 403, body: { error: { code: 'user_banned' } } });
    expect(await api(srv.url, 'POST', '/api/auth/login', { body: { code: 'troll' } }))
      .toMatchObject({ status: 403, body: { error: { code: 'user_banned' } } });

    const list = await api(srv.url, 'GET', '/api/admin/users/banned', { token: ADMIN_TOKEN });
    expect(list).toMatchObject({ status: 200, body: { users: [{ userId: bad.id, at: r.body.ban.at }] } });

    const undo = await api(srv.url, 'DELETE', `/api/admin/users/${bad.id}/ban`, { token: ADMIN_TOKEN });
    expect(undo).toMatchObject({ status: 200, body: { unbanned: { userId: bad.id } } });
    expect((await api(srv.url, 'DELETE', `/api/admin/users/${bad.id}/ban`, { token: ADMIN_TOKEN })).status).toBe(404);
    expect((await api(srv.url, 'GET', '/api/admin/users/banned', { token: ADMIN_TOKEN })).body.users).toEqual([]);
    const back = await signIn(srv.url, 'troll');
    const s = await sockets.join(room1, back.token);
    s.send({ type: 'say', text: 'sorry' });
    await watcher.next('message', (m) => m.text === 'sorry');
    expect((await api(srv.url, 'POST', '/api/rooms', { token: back.token, body: { title: 'Mine' } })).status).toBe(201);
  });

  test('the admin routes need the admin token: none 401, a user session 403', async () => {
    const user = await signIn(srv.url, 'host-a');
    for (const [method, path] of [['POST', '/api/admin/users/dev_x/ban'], ['DELETE', '/api/admin/users/dev_x/ban'], ['GET', '/api/admin/users/banned']] as const) {
      expect((await api(srv.url, method, path)).status).toBe(401);
      expect((await api(srv.url, method, path, { token: user.token })).status).toBe(403);
    }
    expect(await srv.chatStore.isUserBanned('dev_x')).toBe(false);
  });
});

describe('PUT /api/me {nickname}', () => {
  beforeEach(() => serve());

  test('sets the nickname (trimmed) shown from the next chat sign-in and on messages; 1–20 characters', async () => {
    const host = await signIn(srv.url, 'host-a');
    const roomId = await newRoom(srv.url, host);
    const r = await api(srv.url, 'PUT', '/api/me', { token: host.token, body: { nickname: '  小明 🎉  ' } });
    expect(r).toMatchObject({ status: 200, body: { user: { id: host.id, nickname: '小明 🎉' } } });
    const s = await sockets.join(roomId, host.token);
    expect(s.hello.you).toEqual({ id: host.id, nickname: '小明 🎉' });
    s.send({ type: 'say', text: 'hi' });
    expect((await s.next('message')).user).toEqual({ id: host.id, nickname: '小明 🎉' });
    // the next sign-in answers with it (and its token carries it)
    expect((await api(srv.url, 'POST', '/api/auth/login', { body: { code: 'host-a' } })).body.user).toEqual({ id: host.id, nickname: '小明 🎉' });

    expect((await api(srv.url, 'PUT', '/api/me', { token: host.token, body: { nickname: '😀'.repeat(NICKNAME_MAX_CHARS) } })).status).toBe(200);
    for (const nickname of ['   ', 'x'.repeat(NICKNAME_MAX_CHARS + 1), 42]) {
      expect(await api(srv.url, 'PUT', '/api/me', { token: host.token, body: { nickname } }))
        .toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/^nickname:/) } } });
    }
    expect((await api(srv.url, 'PUT', '/api/me', { body: { nickname: 'Ann' } })).status).toBe(401);
  });
});

describe('POST /api/auth/guest {nickname}', () => {
  test('a guest session may chat under its nickname, but not host a room', async () => {
    await serve();
    const host = await signIn(srv.url, 'host-a');
    const roomId = await newRoom(srv.url, host);
    const g = await api(srv.url, 'POST', '/api/auth/guest', { body: { nickname: ' 路人甲 ' } });
    expect(g).toMatchObject({ status: 200, body: { token: expect.any(String), user: { id: expect.stringMatching(/^guest_/), nickname: '路人甲' }, expiresAt: expect.any(String) } });
    const watcher = await sockets.join(roomId, host.token);
    const s = await sockets.join(roomId, g.body.token);
    expect(s.hello.you).toEqual(g.body.user);
    s.send({ type: 'say', text: '来了', nonce: 'g1' });
    expect(await watcher.next('message')).toMatchObject({ text: '来了', user: g.body.user });
    expect(await api(srv.url, 'POST', '/api/rooms', { token: g.body.token, body: { title: 'Guest room' } }))
      .toMatchObject({ status: 403, body: { error: { code: 'guest_cannot_host' } } });
    expect((await api(srv.url, 'POST', '/api/auth/guest', { body: { nickname: '' } })).status).toBe(400);
  });

  test('rate-limited per client address: 429 with Retry-After', async () => {
    await serve({ guests: { perAddressPerMin: 2 } });
    for (let i = 0; i < 2; i++) expect((await api(srv.url, 'POST', '/api/auth/guest', { body: { nickname: `g${i}` } })).status).toBe(200);
    const r = await api(srv.url, 'POST', '/api/auth/guest', { body: { nickname: 'g3' } });
    expect(r).toMatchObject({ status: 429, body: { error: { code: 'guest_rate_address' } } });
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  test('GUEST_CHAT=off: 403 guest_chat_off', async () => {
    await serve({ guests: false });
    expect(await api(srv.url, 'POST', '/api/auth/guest', { body: { nickname: 'Ann' } }))
      .toMatchObject({ status: 403, body: { error: { code: 'guest_chat_off' } } });
  });
});

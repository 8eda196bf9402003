// Moderation end to end (issue 13): real `ws` clients and real HTTP against chat-server.ts. Every room action
// runs as the room's host and as the admin; anyone else gets 403. Time moves with the ChatService's clock.
import { CLOSE_BANNED } from '../../typings/chat';
import { sleep } from '../helpers/wait';
import { ADMIN_TOKEN, startChatServer, type ChatTestOptions, type ChatTestServer } from './chat-server';
import { api, newRoom, signIn, Sockets, type SignedIn } from './moderation-helpers';

let srv: ChatTestServer;
let offsetMs = 0;
const clock = () => Date.now() + offsetMs;
const sockets = new Sockets(() => srv);

async function serve(o: ChatTestOptions = {}): Promise<void> {
  offsetMs = 0;
  srv = await startChatServer({ ...o, chat: { now: clock, ...o.chat } });
}

afterEach(async () => {
  sockets.closeAll();
  await srv?.close();
});

/** nothing but `marker` reached `s` after `since` frames: what was refused went nowhere */
async function onlyMarker(s: Awaited<ReturnType<Sockets['join']>>, sender: Awaited<ReturnType<Sockets['join']>>, since: number) {
  sender.send({ type: 'say', text: 'marker' });
  await s.next('message', (m) => m.text === 'marker');
  expect(s.frames.slice(since).filter((f) => f.type === 'message').map((f) => (f as { text: string }).text)).toEqual(['marker']);
}

describe.each(['host', 'admin'] as const)('room moderation as the %s', (as) => {
  let host: SignedIn;
  let viewer: SignedIn;
  let roomId: string;
  let token: string;
  beforeEach(async () => {
    await serve();
    host = await signIn(srv.url, 'host-a');
    viewer = await signIn(srv.url, 'viewer-b');
    roomId = await newRoom(srv.url, host);
    token = as === 'host' ? host.token : ADMIN_TOKEN;
  });

  test('DELETE a message: every socket gets deleted {id}; it leaves the scroll-back and the next hello', async () => {
    const a = await sockets.join(roomId, host.token);
    const b = await sockets.join(roomId, viewer.token);
    b.send({ type: 'say', text: 'rude' });
    const m = await a.next('message');
    const r = await api(srv.url, 'DELETE', `/api/rooms/${roomId}/messages/${m.id}`, { token });
    expect(r).toMatchObject({ status: 200, body: { deleted: { roomId, id: m.id } } });
    for (const s of [a, b]) expect(await s.next('deleted')).toEqual({ type: 'deleted', id: m.id });
    expect((await api(srv.url, 'GET', `/api/rooms/${roomId}/messages`)).body.messages).toEqual([]);
    expect((await sockets.join(roomId)).hello.history).toEqual([]);
    const again = await api(srv.url, 'DELETE', `/api/rooms/${roomId}/messages/${m.id}`, { token });
    expect(again).toMatchObject({ status: 404, body: { error: { code: 'message_not_found' } } });
  });

  test('POST mutes: the muted user is told muted (with retryAfterMs) and nothing reaches others, until the mute expires', async () => {
    const a = await sockets.join(roomId, host.token);
    const b = await sockets.join(roomId, viewer.token);
    const r = await api(srv.url, 'POST', `/api/rooms/${roomId}/mutes`, { token, body: { userId: viewer.id, minutes: 10 } });
    expect(r.status).toBe(200);
    expect(r.body.mute).toEqual({ roomId, userId: viewer.id, until: expect.any(String) });
    expect(Date.parse(r.body.mute.until) - clock()).toBeGreaterThan(599_000);
    const since = a.frames.length;
    b.send({ type: 'say', text: 'still here?' });
    const notice = await b.next('notice', (n) => n.code === 'muted');
    expect(notice.retryAfterMs).toBeGreaterThan(599_000);
    await onlyMarker(a, a, since);
    offsetMs += 10 * 60_000 + 1000; // the mute is over
    b.send({ type: 'say', text: 'back' });
    expect((await a.next('message', (m) => m.text === 'back')).user.id).toBe(viewer.id);
  });

  test('POST bans: the user is told banned, their sockets in the room close with 4001, they cannot rejoin or send; other rooms unaffected', async () => {
    const a = await sockets.join(roomId, host.token);
    const b1 = await sockets.join(roomId, viewer.token);
    const b2 = await sockets.join(roomId, viewer.token);
    const other = await newRoom(srv.url, host, 'Other');
    const elsewhere = await sockets.join(other, viewer.token);
    const r = await api(srv.url, 'POST', `/api/rooms/${roomId}/bans`, { token, body: { userId: viewer.id } });
    expect(r).toMatchObject({ status: 200, body: { ban: { roomId, userId: viewer.id } } });
    for (const s of [b1, b2]) {
      expect((await s.closed).code).toBe(CLOSE_BANNED);
      expect(s.of('notice').map((n) => n.code)).toContain('banned');
    }
    const rejoin = await sockets.join(roomId).catch(() => null);
    expect(rejoin).not.toBeNull();
    rejoin!.send({ type: 'auth', token: viewer.token });
    expect((await rejoin!.closed).code).toBe(CLOSE_BANNED);
    // the host's socket and the user's socket in another room stay, and the user may still talk there
    expect(a.ws.readyState).toBe(a.ws.OPEN);
    elsewhere.send({ type: 'say', text: 'over here' });
    expect((await elsewhere.next('message')).text).toBe('over here');
  });

  test('PUT chat slowModeS: settings to every socket and in the hello; a second message within it is told slow_mode', async () => {
    const a = await sockets.join(roomId, host.token);
    const b = await sockets.join(roomId, viewer.token);
    const r = await api(srv.url, 'PUT', `/api/rooms/${roomId}/chat`, { token, body: { slowModeS: 30, closed: false } });
    expect(r).toMatchObject({ status: 200, body: { settings: { slowModeS: 30, closed: false } } });
    for (const s of [a, b]) expect(await s.next('settings')).toEqual({ type: 'settings', slowModeS: 30, closed: false });
    expect((await sockets.join(roomId)).hello.settings).toEqual({ slowModeS: 30, closed: false });
    b.send({ type: 'say', text: 'first' });
    await a.next('message', (m) => m.text === 'first');
    const since = a.frames.length;
    b.send({ type: 'say', text: 'second' });
    const notice = await b.next('notice', (n) => n.code === 'slow_mode');
    expect(notice.retryAfterMs).toBeGreaterThan(25_000);
    await onlyMarker(a, a, since);
    offsetMs += 30_000;
    b.send({ type: 'say', text: 'third' });
    await a.next('message', (m) => m.text === 'third');
  });

  test('PUT chat closed: settings {closed:true} to all; every send is refused with chat_closed; reopening lets it through', async () => {
    const a = await sockets.join(roomId, host.token);
    const b = await sockets.join(roomId, viewer.token);
    expect((await api(srv.url, 'PUT', `/api/rooms/${roomId}/chat`, { token, body: { slowModeS: 0, closed: true } })).status).toBe(200);
    for (const s of [a, b]) expect(await s.next('settings')).toEqual({ type: 'settings', slowModeS: 0, closed: true });
    b.send({ type: 'say', text: 'hello?' });
    expect(await b.next('notice', (n) => n.code === 'chat_closed')).toMatchObject({ type: 'notice', code: 'chat_closed' });
    await sleep(100);
    expect(a.of('message')).toEqual([]);
    await api(srv.url, 'PUT', `/api/rooms/${roomId}/chat`, { token, body: { slowModeS: 0, closed: false } });
    await b.next('settings', (s) => !s.closed);
    b.send({ type: 'say', text: 'open again' });
    await a.next('message', (m) => m.text === 'open again');
  });
});

describe('who may moderate', () => {
  beforeEach(() => serve());

  test('a signed-in non-host gets 403 not_room_host on every moderation call, and nothing changes; no token is 401', async () => {
    const host = await signIn(srv.url, 'host-a');
    const other = await signIn(srv.url, 'someone-else');
    const roomId = await newRoom(srv.url, host);
    const a = await sockets.join(roomId, host.token);
    a.send({ type: 'say', text: 'keep me' });
    const m = await a.next('message');
    const calls: [string, string, unknown?][] = [
      ['DELETE', `/api/rooms/${roomId}/messages/${m.id}`],
      ['POST', `/api/rooms/${roomId}/mutes`, { userId: host.id, minutes: 5 }],
      ['POST', `/api/rooms/${roomId}/bans`, { userId: host.id }],
      ['PUT', `/api/rooms/${roomId}/chat`, { slowModeS: 10, closed: true }],
    ];
    for (const [method, path, body] of calls) {
      expect(await api(srv.url, method, path, { token: other.token, body })).toMatchObject({ status: 403, body: { error: { code: 'not_room_host' } } });
      expect((await api(srv.url, method, path, { body })).status).toBe(401);
    }
    expect(await srv.chatStore.restrictions(roomId, host.id)).toEqual({ mutedUntil: null, roomBan: false, userBan: false });
    expect(await srv.chatStore.settings(roomId)).toBeNull();
    expect((await api(srv.url, 'GET', `/api/rooms/${roomId}/messages`)).body.messages).toHaveLength(1);
  });

  test('bad input is 400 naming the field; an unknown room is 404', async () => {
    const host = await signIn(srv.url, 'host-a');
    const roomId = await newRoom(srv.url, host);
    const t = { token: host.token };
    expect((await api(srv.url, 'POST', `/api/rooms/${roomId}/mutes`, { ...t, body: { userId: 'x', minutes: 0 } })).body.error.message).toMatch(/^minutes:/);
    expect((await api(srv.url, 'POST', `/api/rooms/${roomId}/bans`, { ...t, body: { userId: 'a b' } })).status).toBe(400);
    expect((await api(srv.url, 'PUT', `/api/rooms/${roomId}/chat`, { ...t, body: { slowModeS: 3601, closed: false } })).body.error.message).toMatch(/^slowModeS:/);
    expect((await api(srv.url, 'PUT', `/api/rooms/${roomId}/chat`, { ...t, body: { slowModeS: 0 } })).body.error.message).toMatch(/^closed:/);
    expect((await api(srv.url, 'PUT', '/api/rooms/r_nope00000000/chat', { token: ADMIN_TOKEN, body: { slowModeS: 0, closed: false } })).status).toBe(404);
  });

  test('deleting the room forgets its mutes, bans and settings', async () => {
    const host = await signIn(srv.url, 'host-a');
    const roomId = await newRoom(srv.url, host);
    const t = { token: host.token };
    await api(srv.url, 'POST', `/api/rooms/${roomId}/mutes`, { ...t, body: { userId: 'dev_x', minutes: 5 } });
    await api(srv.url, 'POST', `/api/rooms/${roomId}/bans`, { ...t, body: { userId: 'dev_y' } });
    await api(srv.url, 'PUT', `/api/rooms/${roomId}/chat`, { ...t, body: { slowModeS: 5, closed: true } });
    await srv.rooms.delete(roomId, { kind: 'admin' });
    for (let i = 0; i < 40 && (await srv.chatStore.settings(roomId)) !== null; i++) await sleep(25);
    expect(await srv.chatStore.settings(roomId)).toBeNull();
    expect(await srv.chatStore.restrictions(roomId, 'dev_x')).toEqual({ mutedUntil: null, roomBan: false, userBan: false });
    expect((await srv.chatStore.restrictions(roomId, 'dev_y')).roomBan).toBe(false);
  });
});

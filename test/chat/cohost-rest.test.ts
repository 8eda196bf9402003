// Co-hosting REST (issue 15): every route's refusals (400/401/403/404/409/429), the push ticket 403 before
// accept, and the guest push ticket's signature checked the way the media checks it (GuestPublishCheck).
import { readSignedParams, verifyMedia } from '../../server/signing/media-signature';
import { call, createRoom, login } from '../helpers/http';
import { ADMIN_TOKEN, SECRET, startChatServer, TestSocket, type ChatTestServer } from './chat-server';

let srv: ChatTestServer;
let clock = Date.now();
const sockets: TestSocket[] = [];

beforeEach(async () => {
  clock = Date.now();
  srv = await startChatServer({ cohosts: { now: () => clock, pushTtlS: 600 }, chat: { cohostRequestRate: { perSecond: 100, burst: 100 } } });
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await srv.close();
});

/** A signed-in viewer who has asked to join (on the room socket); its token and id. */
async function asker(roomId: string, code: string): Promise<{ token: string; id: string }> {
  const token = await login(srv.url, code);
  const s = new TestSocket(srv.wsUrl, roomId);
  sockets.push(s);
  await s.opened;
  s.send({ type: 'auth', token });
  const id = (await s.next('hello')).you!.id;
  s.send({ type: 'cohost_request' });
  expect((await s.next('notice')).code).toBe('cohost_requested');
  return { token, id };
}

async function liveRoom(code = 'rest-host') {
  const r = await createRoom(srv.url, 'rest', code);
  await srv.rooms.publisherStarted(r.room.id);
  return r;
}

const queryOf = (url: string) => Object.fromEntries(new URL(url.replace(/^rtmp:/, 'http:')).searchParams);

test('GET: 404 for no room; the line-up for anyone; the requests for the host and the admin only', async () => {
  const { token, room } = await liveRoom();
  expect((await call(srv.url, 'GET', '/api/rooms/nosuchroom1/cohosts')).status).toBe(404);
  const a = await asker(room.id, 'get-a');
  expect((await call(srv.url, 'GET', `/api/rooms/${room.id}/cohosts`)).body).toEqual({ guests: [] });
  expect((await call(srv.url, 'GET', `/api/rooms/${room.id}/cohosts`, { token: a.token })).body).toEqual({ guests: [] });
  for (const t of [token, ADMIN_TOKEN]) {
    expect((await call(srv.url, 'GET', `/api/rooms/${room.id}/cohosts`, { token: t })).body.requests.map((r: { user: { id: string } }) => r.user.id)).toEqual([a.id]);
  }
});

test('POST accept: 401, 403, 400, 404, 409 (idle, ended), the admin may accept; requests expire after the TTL', async () => {
  const { token, room } = await liveRoom();
  const a = await asker(room.id, 'acc-a');
  const path = `/api/rooms/${room.id}/cohosts`;
  const other = await login(srv.url, 'acc-stranger');
  expect((await call(srv.url, 'POST', path, { body: { userId: a.id } })).status).toBe(401);
  expect((await call(srv.url, 'POST', path, { token: other, body: { userId: a.id } })).body.error.code).toBe('not_room_host');
  for (const body of [{}, { userId: 'bad id!' }, { userId: a.id, extra: 1 }]) {
    expect((await call(srv.url, 'POST', path, { token, body })).status).toBe(400);
  }
  expect((await call(srv.url, 'POST', '/api/rooms/nosuchroom1/cohosts', { token, body: { userId: a.id } })).status).toBe(404);
  expect((await call(srv.url, 'POST', path, { token, body: { userId: 'dev_nobody' } })).body.error.code).toBe('cohost_request_not_found');
  // the TTL (120 s) passes: the request is gone
  clock += 121_000;
  expect((await call(srv.url, 'POST', path, { token, body: { userId: a.id } })).body.error.code).toBe('cohost_request_not_found');
  clock = Date.now();
  const b = await asker(room.id, 'acc-b');
  const byAdmin = await call(srv.url, 'POST', path, { token: ADMIN_TOKEN, body: { userId: b.id } });
  expect([byAdmin.status, byAdmin.body.guests[0].slot]).toEqual([200, 'g1']);

  const idle = await createRoom(srv.url, 'idle', 'rest-host');
  expect((await call(srv.url, 'POST', `/api/rooms/${idle.room.id}/cohosts`, { token, body: { userId: a.id } })).body.error.code).toBe('cohost_not_live');
  await call(srv.url, 'POST', `/api/rooms/${room.id}/end`, { token });
  const ended = await call(srv.url, 'POST', path, { token, body: { userId: b.id } });
  expect([ended.status, ended.body.error.code]).toEqual([409, 'room_ended']);
});

test('DELETE: 401, 403 for someone else, 404 (room, nobody, bad id), a user removes itself', async () => {
  const { token, room } = await liveRoom();
  const a = await asker(room.id, 'del-a');
  const b = await asker(room.id, 'del-b');
  await call(srv.url, 'POST', `/api/rooms/${room.id}/cohosts`, { token, body: { userId: a.id } });
  const path = (id: string) => `/api/rooms/${room.id}/cohosts/${id}`;
  expect((await call(srv.url, 'DELETE', path(a.id))).status).toBe(401);
  expect((await call(srv.url, 'DELETE', path(a.id), { token: b.token })).body.error.code).toBe('not_room_host');
  expect((await call(srv.url, 'DELETE', `/api/rooms/nosuchroom1/cohosts/${a.id}`, { token })).status).toBe(404);
  expect((await call(srv.url, 'DELETE', path('dev_nobody'), { token })).body.error.code).toBe('cohost_not_found');
  expect((await call(srv.url, 'DELETE', path('bad%20id!'), { token })).body.error.code).toBe('cohost_not_found');
  const self = await call(srv.url, 'DELETE', path(a.id), { token: a.token });
  expect([self.status, self.body]).toEqual([200, { guests: [] }]);
  expect((await call(srv.url, 'DELETE', path(b.id), { token: b.token })).status).toBe(200); // withdraws its request
  expect((await call(srv.url, 'GET', `/api/rooms/${room.id}/cohosts`, { token })).body).toEqual({ guests: [], requests: [] });
});

test('push: 401, 404, 403 not_cohost before accept, the ticket after, 409 once ended; 429 past the per-user rate', async () => {
  const { token, room } = await liveRoom();
  const a = await asker(room.id, 'push-a');
  const path = `/api/rooms/${room.id}/cohosts/push`;
  expect((await call(srv.url, 'POST', path)).status).toBe(401);
  expect((await call(srv.url, 'POST', '/api/rooms/nosuchroom1/cohosts/push', { token: a.token })).status).toBe(404);
  const early = await call(srv.url, 'POST', path, { token: a.token });
  expect([early.status, early.body.error.code]).toEqual([403, 'not_cohost']);
  await call(srv.url, 'POST', `/api/rooms/${room.id}/cohosts`, { token, body: { userId: a.id } });
  const ticket = await call(srv.url, 'POST', path, { token: a.token });
  expect(ticket.status).toBe(200);
  expect(ticket.body.slot).toBe('g1');
  expect(ticket.body.push.url).toMatch(new RegExp(`^rtmp://127\\.0\\.0\\.1:1935/live/${room.id}~g1\\?expires=\\d+&gen=\\d+&user=${a.id}&sign=[\\w-]{43}$`));
  expect(ticket.body.push.url).toBe(`${ticket.body.push.server}/${ticket.body.push.streamKey}`);
  let status = 200;
  for (let i = 0; i < 60 && status === 200; i++) status = (await call(srv.url, 'POST', path, { token: a.token })).status;
  expect(status).toBe(429);
  await call(srv.url, 'POST', `/api/rooms/${room.id}/end`, { token });
  const b = await login(srv.url, 'push-b');
  expect((await call(srv.url, 'POST', path, { token: b })).body.error.code).toBe('room_ended');
});

test('the guest ticket opens its own slot only, while accepted and unexpired (what the media asks)', async () => {
  const { token, room } = await liveRoom();
  const other = await liveRoom('other-host');
  const a = await asker(room.id, 'sig-a');
  const b = await asker(room.id, 'sig-b');
  await call(srv.url, 'POST', `/api/rooms/${room.id}/cohosts`, { token, body: { userId: a.id } });
  await call(srv.url, 'POST', `/api/rooms/${room.id}/cohosts`, { token, body: { userId: b.id } });
  const q = queryOf((await call(srv.url, 'POST', `/api/rooms/${room.id}/cohosts/push`, { token: a.token })).body.push.url);
  const check = srv.cohosts!;
  expect(check.verify(room.id, 'g1', q)).toBeNull();
  expect(await check.admit(room.id, 'g1', q)).toBeNull();
  expect(check.verify(room.id, 'g2', q)).toBe('bad_signature'); // another slot (b's)
  expect(check.verify(other.room.id, 'g1', q)).toBe('bad_signature'); // another room
  expect(check.verify(room.id, 'g1', { ...q, user: b.id })).toBe('bad_signature'); // another user
  expect(check.verify(room.id, 'g1', { ...q, gen: String(Number(q.gen) + 1) })).toBe('bad_signature');
  expect(check.verify(room.id, 'g1', { ...q, sign: [q.sign!, q.sign!] })).toBe('malformed');
  // the main slot: the room's own publish check refuses it
  expect(verifyMedia(SECRET, 'publish', room.id, readSignedParams(q)).ok).toBe(false);
  // expired
  clock += 601_000;
  expect(check.verify(room.id, 'g1', q)).toBe('expired');
  clock = Date.now();
  // removed: the signature still holds, the line-up does not; accepted again on g1: the old ticket stays dead
  await call(srv.url, 'DELETE', `/api/rooms/${room.id}/cohosts/${a.id}`, { token });
  expect(await check.admit(room.id, 'g1', q)).toBe('not_cohost');
  await asker(room.id, 'sig-a');
  await call(srv.url, 'POST', `/api/rooms/${room.id}/cohosts`, { token, body: { userId: a.id } });
  expect((await check.lineup(room.id)).map((g) => `${g.slot}:${g.user.id}`)).toEqual([`g1:${a.id}`, `g2:${b.id}`]);
  expect(await check.admit(room.id, 'g1', q)).toBe('cohost_ticket_revoked');
  const fresh = queryOf((await call(srv.url, 'POST', `/api/rooms/${room.id}/cohosts/push`, { token: a.token })).body.push.url);
  expect(await check.admit(room.id, 'g1', fresh)).toBeNull();
  // guests play with the room's own play signature
  const play = (await call(srv.url, 'GET', `/api/rooms/${room.id}/play`)).body.play;
  const sig = play.flv.split('?')[1];
  expect(play.guests).toEqual([
    { slot: 'g1', user: { id: a.id, nickname: 'dev-sig-a' }, flv: `http://127.0.0.1:${new URL(srv.url).port}/live/${room.id}~g1.flv?${sig}`,
      rtmp: `rtmp://127.0.0.1:1935/live/${room.id}~g1?${sig}`, hls: `http://127.0.0.1:${new URL(srv.url).port}/live/${room.id}~g1/index.m3u8?${sig}` },
    expect.objectContaining({ slot: 'g2', user: { id: b.id, nickname: 'dev-sig-b' } }),
  ]);
  await call(srv.url, 'POST', `/api/rooms/${room.id}/end`, { token });
  expect(await check.admit(room.id, 'g1', fresh)).toBe('room_not_live');
});

test('COHOST_MAX_GUESTS=1: one guest on g1, the next accept 409 cohost_full with the limit', async () => {
  await srv.close();
  srv = await startChatServer({ cohosts: { maxGuests: 1 }, chat: { cohostRequestRate: { perSecond: 100, burst: 100 } } });
  const { token, room } = await liveRoom();
  const a = await asker(room.id, 'one-a');
  const b = await asker(room.id, 'one-b');
  expect((await call(srv.url, 'POST', `/api/rooms/${room.id}/cohosts`, { token, body: { userId: a.id } })).body.guests[0].slot).toBe('g1');
  const full = await call(srv.url, 'POST', `/api/rooms/${room.id}/cohosts`, { token, body: { userId: b.id } });
  expect([full.status, full.body.error.code, full.body.error.limit]).toEqual([409, 'cohost_full', 1]);
});

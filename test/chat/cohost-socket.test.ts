// Co-hosting signalling end to end (issue 15): real `ws` clients on the room socket of a real HTTP server
// (chat-server.ts with co-hosting on) — the host, signed-in viewers and a guest socket — and the REST answers.
import type { GuestSlot } from '../../typings/cohost';
import { CLOSE_ROOM_GONE } from '../../typings/chat';
import { call, createRoom, login } from '../helpers/http';
import { sleep } from '../helpers/wait';
import { ADMIN_TOKEN, startChatServer, TestSocket, type ChatTestOptions, type ChatTestServer } from './chat-server';

let srv: ChatTestServer;
const sockets: TestSocket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await srv?.close();
});

async function serve(o: ChatTestOptions = {}): Promise<void> {
  srv = await startChatServer({ cohosts: {}, ...o });
}

async function join(roomId: string, token?: string): Promise<TestSocket> {
  const s = new TestSocket(srv.wsUrl, roomId);
  sockets.push(s);
  await s.opened;
  if (token) s.send({ type: 'auth', token });
  await s.next('hello');
  return s;
}

/** A signed-in viewer on the room socket, with its user id. */
async function viewer(roomId: string, code: string): Promise<{ s: TestSocket; token: string; id: string }> {
  const token = await login(srv.url, code);
  const s = await join(roomId, token);
  return { s, token, id: s.of('hello')[0]!.you!.id };
}

const lineup = (s: TestSocket) => s.of('cohosts').at(-1)?.guests.map((g) => `${g.slot}:${g.user.id}`);
const untilLineup = (s: TestSocket, want: string[]) =>
  s.next('cohosts', (f) => JSON.stringify(f.guests.map((g) => `${g.slot}:${g.user.id}`)) === JSON.stringify(want));
const requestsOf = (s: TestSocket) => s.of('cohost_requests').at(-1)?.requests.map((r) => r.user.id);

test('request, decline, accept up to 3, full, remove, leave, room end: every socket follows; a guest socket may not ask', async () => {
  await serve({ chat: { cohostRequestRate: { perSecond: 100, burst: 100 } } });
  const { token: hostToken, room } = await createRoom(srv.url, 'co-hosting', 'cohost-host');
  await srv.rooms.publisherStarted(room.id); // what the media calls on the host's first packets
  const vacated: Array<[string, GuestSlot[]]> = [];
  srv.cohosts!.onSlotsVacated((roomId, slots) => vacated.push([roomId, slots]));

  const host = await join(room.id, hostToken);
  const alice = await viewer(room.id, 'alice');
  const bob = await viewer(room.id, 'bob');
  const guest = await join(room.id);
  const admin = await join(room.id, ADMIN_TOKEN); // the admin console: no user, but the host's view of requests
  expect(admin.of('hello')[0]!.you).toBeNull();
  // right after the hello: the (empty) line-up for all, the (empty) requests for the host only
  for (const s of [host, alice.s, bob.s, guest]) expect((await s.next('cohosts')).guests).toEqual([]);
  expect((await host.next('cohost_requests')).requests).toEqual([]);

  guest.send({ type: 'cohost_request' });
  expect((await guest.next('notice')).code).toBe('auth_required');

  alice.s.send({ type: 'cohost_request' });
  expect((await alice.s.next('notice')).code).toBe('cohost_requested');
  await host.next('cohost_requests', (f) => f.requests.length === 1);
  expect(host.of('cohost_requests').at(-1)!.requests[0]).toEqual({ user: { id: alice.id, nickname: 'dev-alice' }, at: expect.any(String) });
  bob.s.send({ type: 'cohost_request' });
  await host.next('cohost_requests', (f) => f.requests.length === 2);
  expect(requestsOf(host)).toEqual([alice.id, bob.id]);
  await admin.next('cohost_requests', (f) => f.requests.length === 2);

  // decline bob
  const declined = await call(srv.url, 'DELETE', `/api/rooms/${room.id}/cohosts/${bob.id}`, { token: hostToken });
  expect([declined.status, declined.body.requests.map((r: { user: { id: string } }) => r.user.id)]).toEqual([200, [alice.id]]);
  await host.next('cohost_requests', (f) => f.requests.length === 1);

  // accept alice → g1, seen by everyone, the guest socket too
  const accepted = await call(srv.url, 'POST', `/api/rooms/${room.id}/cohosts`, { token: hostToken, body: { userId: alice.id } });
  expect(accepted.status).toBe(200);
  expect(accepted.body).toEqual({ guests: [{ slot: 'g1', user: { id: alice.id, nickname: 'dev-alice' } }], requests: [] });
  for (const s of [host, alice.s, bob.s, guest]) await untilLineup(s, [`g1:${alice.id}`]);
  await host.next('cohost_requests', (f) => f.requests.length === 0);

  // bob, carol and dave ask; bob and carol fill g2 and g3; the fourth accept is refused
  const carol = await viewer(room.id, 'carol');
  const dave = await viewer(room.id, 'dave');
  for (const v of [bob, carol, dave]) v.s.send({ type: 'cohost_request' });
  await host.next('cohost_requests', (f) => f.requests.length === 3);
  for (const v of [bob, carol]) {
    expect((await call(srv.url, 'POST', `/api/rooms/${room.id}/cohosts`, { token: hostToken, body: { userId: v.id } })).status).toBe(200);
  }
  await untilLineup(guest, [`g1:${alice.id}`, `g2:${bob.id}`, `g3:${carol.id}`]);
  const full = await call(srv.url, 'POST', `/api/rooms/${room.id}/cohosts`, { token: hostToken, body: { userId: dave.id } });
  expect([full.status, full.body.error.code]).toEqual([409, 'cohost_full']);
  expect(requestsOf(host)).toEqual([dave.id]); // dave is still waiting

  // the host removes alice; bob leaves by himself
  expect((await call(srv.url, 'DELETE', `/api/rooms/${room.id}/cohosts/${alice.id}`, { token: hostToken })).status).toBe(200);
  await untilLineup(bob.s, [`g2:${bob.id}`, `g3:${carol.id}`]);
  bob.s.send({ type: 'cohost_leave' });
  await untilLineup(alice.s, [`g3:${carol.id}`]);
  expect(vacated).toEqual([[room.id, ['g1']], [room.id, ['g2']]]);
  bob.s.send({ type: 'cohost_leave' });
  expect((await bob.s.next('notice', (n) => n.code === 'cohost_not_found')).message).toMatch(/neither/);

  // dave now fits, on the lowest free slot
  expect((await call(srv.url, 'POST', `/api/rooms/${room.id}/cohosts`, { token: hostToken, body: { userId: dave.id } })).body.guests)
    .toEqual([{ slot: 'g1', user: { id: dave.id, nickname: 'dev-dave' } }, { slot: 'g3', user: { id: carol.id, nickname: 'dev-carol' } }]);
  expect((await call(srv.url, 'GET', `/api/rooms/${room.id}/play`)).body.play.guests.map((g: { slot: string }) => g.slot)).toEqual(['g1', 'g3']);

  // the room ends: the line-up is gone, every slot vacated, the sockets closed
  expect((await call(srv.url, 'POST', `/api/rooms/${room.id}/end`, { token: hostToken })).status).toBe(200);
  expect((await guest.closed).code).toBe(CLOSE_ROOM_GONE);
  await sleep(100);
  expect((await call(srv.url, 'GET', `/api/rooms/${room.id}/cohosts`, { token: hostToken })).body).toEqual({ guests: [], requests: [] });
  expect(vacated.at(-1)).toEqual([room.id, ['g1', 'g3']]);
  expect(lineup(host)).toEqual([`g1:${dave.id}`, `g3:${carol.id}`]); // no frame after the close: the hello of a new socket would be refused
});

test('requests only while live; the host cannot ask; a flood of cohost_request gets rate_limited notices', async () => {
  await serve();
  const { token: hostToken, room } = await createRoom(srv.url, 'flood', 'flood-host');
  const host = await join(room.id, hostToken);
  const v = await viewer(room.id, 'flooder');
  v.s.send({ type: 'cohost_request' });
  expect((await v.s.next('notice')).code).toBe('cohost_not_live');
  await srv.rooms.publisherStarted(room.id);
  await sleep(5100); // the not-live request counted against the rate too
  host.send({ type: 'cohost_request' });
  expect((await host.next('notice')).code).toBe('invalid_frame');
  for (let i = 0; i < 20; i++) v.s.send({ type: 'cohost_request' });
  await v.s.next('notice', (n) => n.code === 'cohost_requested');
  const limited = await v.s.next('notice', (n) => n.code === 'rate_limited');
  expect(limited.retryAfterMs).toBeGreaterThan(1000);
  await sleep(300);
  // one request reached the host, once
  expect(v.s.of('notice').filter((n) => n.code === 'cohost_requested')).toHaveLength(1);
  expect(v.s.of('notice').filter((n) => n.code === 'rate_limited').length).toBeGreaterThanOrEqual(18);
  expect(host.of('cohost_requests').filter((f) => f.requests.length === 1)).toHaveLength(1);
  // viewers never see who asked
  expect(v.s.of('cohost_requests')).toEqual([]);
}, 20_000);

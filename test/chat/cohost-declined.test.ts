// A declined or expired co-host request is told to its requester (issue 15 follow-up): `cohost_declined` reaches
// only the requester's sockets, with reason `declined` when the host (or admin) declines and `expired` when nobody
// answered within the request's time; withdrawing one's own request, or being accepted, tells nothing.
import { call, createRoom, login } from '../helpers/http';
import { sleep } from '../helpers/wait';
import { ADMIN_TOKEN, startChatServer, TestSocket, type ChatTestOptions, type ChatTestServer } from './chat-server';

let srv: ChatTestServer;
const sockets: TestSocket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await srv?.close();
});

async function liveRoom(o: ChatTestOptions['cohosts'] = {}) {
  srv = await startChatServer({ cohosts: o, chat: { cohostRequestRate: { perSecond: 100, burst: 100 } } });
  const { token, room } = await createRoom(srv.url, 'co-hosting', 'declined-host');
  await srv.rooms.publisherStarted(room.id);
  return { hostToken: token, roomId: room.id };
}

async function viewer(roomId: string, code: string): Promise<{ s: TestSocket; id: string }> {
  // signed in before the socket opens: a sign-in slower than the server's auth wait would be greeted as a guest
  const token = await login(srv.url, code);
  const s = new TestSocket(srv.wsUrl, roomId);
  sockets.push(s);
  await s.opened;
  s.send({ type: 'auth', token });
  await s.next('hello');
  return { s, id: s.of('hello')[0]!.you!.id };
}

async function ask(v: { s: TestSocket }): Promise<void> {
  v.s.send({ type: 'cohost_request' });
  await v.s.next('notice', (n) => n.code === 'cohost_requested');
}

test('declined by the host or the admin: that requester alone hears it; a withdrawal or an accept tells nothing', async () => {
  const { hostToken, roomId } = await liveRoom();
  const bob = await viewer(roomId, 'bob');
  const bobAgain = await viewer(roomId, 'bob'); // a second socket of the same user (another tab)
  const alice = await viewer(roomId, 'alice');
  const carol = await viewer(roomId, 'carol');
  const dave = await viewer(roomId, 'dave');
  for (const v of [bob, alice, carol, dave]) await ask(v);

  expect((await call(srv.url, 'DELETE', `/api/rooms/${roomId}/cohosts/${bob.id}`, { token: hostToken })).status).toBe(200);
  for (const s of [bob.s, bobAgain.s]) expect(await s.next('cohost_declined')).toEqual({ type: 'cohost_declined', reason: 'declined' });

  expect((await call(srv.url, 'DELETE', `/api/rooms/${roomId}/cohosts/${dave.id}`, { token: ADMIN_TOKEN })).status).toBe(200);
  expect((await dave.s.next('cohost_declined')).reason).toBe('declined');

  carol.s.send({ type: 'cohost_leave' }); // carol withdraws herself
  expect((await call(srv.url, 'POST', `/api/rooms/${roomId}/cohosts`, { token: hostToken, body: { userId: alice.id } })).status).toBe(200);
  await alice.s.next('cohosts', (f) => f.guests.length === 1);
  // a guest removed from the line-up learns it from the line-up, not from a decline
  expect((await call(srv.url, 'DELETE', `/api/rooms/${roomId}/cohosts/${alice.id}`, { token: hostToken })).status).toBe(200);
  await alice.s.next('cohosts', (f) => f.guests.length === 0);
  await sleep(200);
  expect([alice.s.of('cohost_declined'), carol.s.of('cohost_declined')]).toEqual([[], []]);
  expect([bob.s.of('cohost_declined').length, dave.s.of('cohost_declined').length]).toEqual([1, 1]);
});

test('a request nobody answers expires: its requester hears `expired`; one asked again meanwhile does not expire early', async () => {
  const { roomId } = await liveRoom({ requestTtlS: 1 });
  const erin = await viewer(roomId, 'erin');
  const frank = await viewer(roomId, 'frank');
  await ask(erin);
  await sleep(600);
  await ask(frank);
  const expired = await erin.s.next('cohost_declined');
  expect(expired.reason).toBe('expired');
  expect(frank.s.of('cohost_declined')).toEqual([]); // frank's is younger
  expect((await frank.s.next('cohost_declined')).reason).toBe('expired');

  // erin asks again after hers expired: a new request, with its own full time
  await ask(erin);
  await sleep(700);
  expect(erin.s.of('cohost_declined')).toHaveLength(1);
  await erin.s.next('cohost_declined', () => erin.s.of('cohost_declined').length === 2);
});

test('a room ban takes the user off the line-up (slot vacated, everyone told) and drops a pending request; a global ban too', async () => {
  const { hostToken, roomId } = await liveRoom();
  const vacated: string[][] = [];
  srv.cohosts!.onSlotsVacated((_room, slots) => vacated.push(slots));
  const host = new TestSocket(srv.wsUrl, roomId);
  sockets.push(host);
  await host.opened;
  host.send({ type: 'auth', token: hostToken });
  await host.next('hello');
  const gina = await viewer(roomId, 'gina');
  const hank = await viewer(roomId, 'hank');
  const ivy = await viewer(roomId, 'ivy');
  for (const v of [gina, hank, ivy]) await ask(v);
  expect((await call(srv.url, 'POST', `/api/rooms/${roomId}/cohosts`, { token: hostToken, body: { userId: gina.id } })).status).toBe(200);
  expect((await call(srv.url, 'POST', `/api/rooms/${roomId}/cohosts`, { token: hostToken, body: { userId: ivy.id } })).status).toBe(200);
  await host.next('cohosts', (f) => f.guests.length === 2);

  expect((await call(srv.url, 'POST', `/api/rooms/${roomId}/bans`, { token: hostToken, body: { userId: gina.id } })).status).toBe(200);
  await host.next('cohosts', (f) => f.guests.length === 1 && f.guests[0]!.user.id === ivy.id);
  expect(vacated).toEqual([['g1']]);
  expect((await call(srv.url, 'POST', `/api/rooms/${roomId}/bans`, { token: hostToken, body: { userId: hank.id } })).status).toBe(200);
  await host.next('cohost_requests', (f) => f.requests.length === 0);
  const view = await call(srv.url, 'GET', `/api/rooms/${roomId}/cohosts`, { token: hostToken });
  expect(view.body).toEqual({ guests: [{ slot: 'g2', user: { id: ivy.id, nickname: 'dev-ivy' } }], requests: [] });

  // the admin bans ivy everywhere: off the line-up here as well
  expect((await call(srv.url, 'POST', `/api/admin/users/${ivy.id}/ban`, { token: ADMIN_TOKEN })).status).toBe(200);
  await host.next('cohosts', (f) => f.guests.length === 0);
  expect(vacated).toEqual([['g1'], ['g2']]);
});

// The fixtures the scripted-wx tests answer with (helpers/fixtures.ts) are what a real server sends: each
// response of a running server (same SIGNING_SECRET) equals the fixture built for the same room and expiry.
import * as fx from '../helpers/fixtures';
import { killAll, publish } from '../../helpers/ffmpeg';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { until } from '../../helpers/wait';

let s: TestServer;
let bases: ReturnType<typeof fx.basesFor>;
beforeAll(async () => {
  s = await startTestServer({ SIGNING_SECRET: fx.TEST_SECRET });
  bases = fx.basesFor(`127.0.0.1:${s.httpPort}`, s.rtmpPort);
});
afterAll(async () => {
  await killAll();
  await s.stop(true);
});

async function call(method: 'GET' | 'POST', path: string, opts: { body?: object; token?: string } = {}): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  const res = await fetch(s.url + path, { method, headers, body: method === 'POST' ? JSON.stringify(opts.body ?? {}) : undefined });
  return { status: res.status, body: await res.json() };
}

const expiryS = (isoTime: string) => Date.parse(isoTime) / 1000;

test('login, room, tickets, list, errors and the ended room equal their fixtures', async () => {
  const login = await call('POST', '/api/auth/login', { body: { code: fx.HOST.code } });
  expect(login.status).toBe(200);
  // same user for the fixture's code, and the token the server signs for that expiry
  expect(login.body).toEqual(fx.loginAt(expiryS(login.body.expiresAt)));
  const token = login.body.token as string;

  const created = await call('POST', '/api/rooms', { body: { title: 'Fixture room' }, token });
  expect(created.status).toBe(201);
  const id = created.body.room.id as string;
  expect(created.body).toEqual({
    room: fx.room({ id, title: 'Fixture room', status: 'idle', createdAt: created.body.room.createdAt }),
    push: fx.pushTicket(id, expiryS(created.body.push.expiresAt), bases),
  });
  // the fixture's own create response has the same form, with its fixed room and clock
  expect(Object.keys(fx.created('X', 'T').push)).toEqual(Object.keys(created.body.push));
  expect(fx.created('X', 'T').push.url).toMatch(/^rtmp:\/\/127\.0\.0\.1:1935\/live\/X\?expires=\d+&gen=1&sign=[\w-]{43}$/);

  const ticket = await call('POST', `/api/rooms/${id}/push`, { token });
  // the second ticket of the room: generation 2 (it revokes the first)
  expect(ticket.body).toEqual({ push: fx.pushTicket(id, expiryS(ticket.body.push.expiresAt), bases, 2) });

  const play = await call('GET', `/api/rooms/${id}/play`);
  expect(play.body).toEqual({ play: fx.playUrls(id, expiryS(play.body.play.expiresAt), bases) });

  const second = await call('POST', '/api/rooms', { body: { title: 'Second' }, token });
  const page = await call('GET', '/api/rooms?status=idle&limit=1');
  expect(page.body).toEqual({ rooms: [second.body.room], nextCursor: fx.cursorAfter(second.body.room) });

  expect(await call('GET', '/api/rooms/NOPE00000000')).toEqual({ status: 404, body: fx.roomNotFound('NOPE00000000') });
  expect(await call('POST', `/api/rooms/${id}/push`, { token: 'forged.token' })).toEqual({ status: 401, body: fx.unauthorized });

  // a room that never went live ends without a replay
  await call('POST', `/api/rooms/${second.body.room.id}/end`, { token });
  expect(await call('GET', `/api/rooms/${second.body.room.id}/play`)).toEqual({ status: 409, body: fx.roomEnded(second.body.room.id, null) });

  // live by a real publish, then ended: the room views, the replay and both refusals
  const pub = publish(ticket.body.push.url);
  await until(async () => (await call('GET', `/api/rooms/${id}`)).body.room.status === 'live', 15000, 'room live');
  const live = (await call('GET', `/api/rooms/${id}`)).body.room;
  expect(live).toEqual(fx.room({ id, title: 'Fixture room', status: 'live', createdAt: live.createdAt, startedAt: live.startedAt, viewers: live.viewers }));

  const ended = await call('POST', `/api/rooms/${id}/end`, { token });
  const { createdAt, startedAt, endedAt } = ended.body.room;
  expect(ended.body).toEqual({ room: fx.room({ id, title: 'Fixture room', status: 'ended', createdAt, startedAt, endedAt }) });
  await pub.exited;

  const refused = await call('GET', `/api/rooms/${id}/play`);
  const broadcast = /\/replay\/\w+\/(\w+)\/index\.m3u8$/.exec(refused.body.error.replay)?.[1] ?? '';
  expect(refused).toEqual({ status: 409, body: fx.roomEnded(id, fx.replayUrl(id, broadcast, bases)) });
  expect(await call('POST', `/api/rooms/${id}/push`, { token })).toEqual({ status: 409, body: fx.pushRefused(id) });
});

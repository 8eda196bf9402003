// The room socket's limits end to end: frame size and rate, connections per address and room, bad frames, refused
// upgrades (status, headers and JSON body), real `ws` clients against a real server (room-socket-kit.ts).
import { once } from 'node:events';
import { request } from 'node:http';
import { CLOSE_BAD_FRAMES, CLOSE_ROOM_GONE, CLOSE_TOO_LARGE } from '../../typings/chat';
import { createRoom, login } from '../helpers/http';
import { sleep } from '../helpers/wait';
import { TestSocket } from './chat-server';
import { join, serve, sockets, srv } from './room-socket-kit';

describe('limits on the socket', () => {
  test('rate limit: a burst of 5, then rate_limited with retryAfterMs; the others get only the 5', async () => {
    await serve();
    const { token, room } = await createRoom(srv.url);
    const viewer = await login(srv.url, 'viewer-b');
    const a = await join(room.id, token);
    const b = await join(room.id, viewer);
    for (let i = 1; i <= 7; i++) a.send({ type: 'say', text: `m${i}`, nonce: String(i) });
    const notice = await a.next('notice');
    expect(notice).toMatchObject({ code: 'rate_limited', retryAfterMs: expect.any(Number) });
    expect(notice.retryAfterMs).toBeGreaterThan(0);
    expect(notice.retryAfterMs).toBeLessThanOrEqual(1000);
    await b.next('message', (m) => m.text === 'm5');
    await sleep(200);
    expect(b.of('message').map((m) => m.text)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    // the rate is per user: another user in the same room still sends
    b.send({ type: 'say', text: 'mine' });
    await a.next('message', (m) => m.text === 'mine');
  });

  test('the rate is configurable', async () => {
    await serve({ chat: { sendRate: { perSecond: 1, burst: 2 } } });
    const { token, room } = await createRoom(srv.url);
    const a = await join(room.id, token);
    for (let i = 1; i <= 3; i++) a.send({ type: 'say', text: `m${i}` });
    await a.next('notice', (n) => n.code === 'rate_limited');
    expect(a.of('message').map((m) => m.text)).toEqual(['m1', 'm2']);
  });

  test('a frame over 4 KiB closes the socket with 1009', async () => {
    await serve();
    const { token, room } = await createRoom(srv.url);
    const a = await join(room.id, token);
    a.send({ type: 'say', text: 'x'.repeat(4097) });
    expect((await a.closed).code).toBe(CLOSE_TOO_LARGE);
  });

  test('bad JSON gets a bad_frame notice; the third bad frame closes the socket (1008)', async () => {
    await serve();
    const { token, room } = await createRoom(srv.url);
    const a = await join(room.id, token);
    a.send('{not json');
    a.send('[1,2]');
    await a.next('notice', () => a.of('notice').length >= 2);
    expect(a.of('notice').map((n) => n.code)).toEqual(['bad_frame', 'bad_frame']);
    a.send('{"type":"dance"}');
    expect((await a.closed).code).toBe(CLOSE_BAD_FRAMES);
  });

  test('per-address cap: the upgrade beyond it is answered 429; another address still gets in', async () => {
    await serve({ socket: { maxPerIp: 2 } });
    const { room } = await createRoom(srv.url);
    await join(room.id);
    await join(room.id);
    const third = new TestSocket(srv.wsUrl, room.id);
    sockets.push(third);
    expect(await third.refused).toBe(429);
    const other = new TestSocket(srv.wsUrl, room.id, { localAddress: '127.0.0.2' });
    sockets.push(other);
    expect(await other.opened).toBe(true);
  });

  test('per-room cap: the upgrade beyond it is answered 429 with Retry-After and the JSON error; other rooms still open', async () => {
    await serve({ socket: { maxPerRoom: 1 } });
    const { room } = await createRoom(srv.url);
    const { room: other } = await createRoom(srv.url, 'other');
    await join(room.id);
    const res = await rawUpgrade(srv.url, `/api/rooms/${room.id}/socket`);
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('10');
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'chat_room_full' } });
    await join(other.id);
  });

  test('a closed socket frees its place under the caps', async () => {
    await serve({ socket: { maxPerIp: 1 } });
    const { room } = await createRoom(srv.url);
    const first = await join(room.id);
    first.close();
    await first.closed;
    // the server sees the TCP close a moment later
    for (let i = 0; i < 40 && srv.upgrade.size > 0; i++) await sleep(25);
    await sleep(50);
    await join(room.id);
  });

  test('heartbeat: a socket that never answers pings is dropped; one that answers stays', async () => {
    await serve({ socket: { heartbeatMs: 150 } });
    const { room } = await createRoom(srv.url);
    const dead = new TestSocket(srv.wsUrl, room.id, { autoPong: false });
    sockets.push(dead);
    const live = await join(room.id);
    expect((await dead.closed).code).toBe(1006);
    await sleep(400);
    expect(live.ws.readyState).toBe(live.ws.OPEN);
  });

  test('a malformed room id is a 404 on upgrade; an unknown room closes with 4004', async () => {
    await serve();
    expect((await rawUpgrade(srv.url, '/api/rooms/not-an-id/socket')).status).toBe(404);
    const s = new TestSocket(srv.wsUrl, 'AAAAAAAAAAAA');
    sockets.push(s);
    expect((await s.closed).code).toBe(CLOSE_ROOM_GONE);
  });
});

/** An upgrade request by hand, to read a refusal's status, headers and body. */
function rawUpgrade(base: string, path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({
      host: hostname, port, path, headers: {
        Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
      },
    });
    req.on('upgrade', (res, socket) => { socket.destroy(); resolve({ status: res.statusCode ?? 101, headers: res.headers, body: '' }); });
    req.on('response', async (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      await once(res, 'end');
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
    });
    req.on('error', reject);
    req.end();
  });
}

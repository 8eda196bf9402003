// Issue 10 row 8: the public HLS viewer count must not follow a header the client writes. 200 playlist requests
// with 200 User-Agents from one address are one viewer (it used to be 200); behind a TRUSTED_PROXIES proxy the
// forwarded addresses are the viewers.
import type { Room } from '../../../typings/api';
import { killAll } from '../../helpers/ffmpeg';
import { call, createRoom } from '../../helpers/http';
import { publishLive, untilSegments } from '../../helpers/live';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { playUrls } from './e2e-kit';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ TRUSTED_PROXIES: '127.0.0.1', HLS_FRAGMENT_S: '1' });
});
afterAll(async () => {
  await killAll();
  await s?.stop(true);
});

test('200 playlist requests with different User-Agents count one viewer; trusted X-Forwarded-For addresses count apart', async () => {
  const { room, push } = await createRoom(s.url, 'hls viewers');
  await publishLive(s.url, room.id, push.url);
  const hls = (await playUrls(s.url, room.id)).hls;
  await untilSegments(hls, 1);
  for (let i = 0; i < 200; i++) {
    const r = await fetch(hls, { headers: { 'user-agent': `viewer-bot/${i}` } });
    expect(r.status).toBe(200);
    await r.arrayBuffer();
  }
  const viewers = async () => (await call<{ room: Room }>(s.url, 'GET', `/api/rooms/${room.id}`)).body.room.viewers;
  expect(await viewers()).toBe(1);
  for (const from of ['198.51.100.1', '198.51.100.2']) {
    const r = await fetch(hls, { headers: { 'x-forwarded-for': from, 'user-agent': 'same-agent' } });
    expect(r.status).toBe(200);
    await r.arrayBuffer();
  }
  expect(await viewers()).toBe(3); // 127.0.0.1 itself, and the two addresses the trusted proxy named
}, 30_000);

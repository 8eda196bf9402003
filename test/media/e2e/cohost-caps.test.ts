// Issue 15 abuse: a co-host guest's streams are played under their room's caps, not beside them — HTTP-FLV viewers
// of the main stream and of every guest slot count in FLV_MAX_PER_ROOM (429 flv_per_room), with the room's own play
// signature; a guest slot's URL with a forged signature or an unknown slot opens nothing.
import { createRoom } from '../../helpers/http';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { FlvWatcher, playUrls } from './e2e-kit';

let s: TestServer;
const watchers: FlvWatcher[] = [];

beforeAll(async () => {
  s = await startTestServer({ FLV_MAX_PER_ROOM: '2', FLV_MAX_PER_IP: '100' });
}, 20000);

afterAll(async () => {
  for (const w of watchers) w.close();
  await s?.stop(true);
});

async function open(url: string): Promise<FlvWatcher> {
  const w = await FlvWatcher.open(url);
  watchers.push(w);
  return w;
}

test('FLV viewers of the main stream and of guest slots share FLV_MAX_PER_ROOM; another room is not affected', async () => {
  const { room } = await createRoom(s.url, 'capped co-hosting');
  const play = await playUrls(s.url, room.id);
  const guestFlv = (slot: string) => play.flv.replace(`/live/${room.id}.flv`, `/live/${room.id}~${slot}.flv`);
  expect((await open(play.flv)).status).toBe(200);
  expect((await open(`${guestFlv('g1')}&latency=low`)).status).toBe(200);
  const third = await fetch(guestFlv('g2'));
  expect([third.status, ((await third.json()) as { error: { code: string } }).error.code]).toEqual([429, 'flv_per_room']);
  const other = await createRoom(s.url, 'another room', 'host-other');
  expect((await open((await playUrls(s.url, other.room.id)).flv.replace('.flv', '~g1.flv'))).status).toBe(200);
});

test('a guest slot opens only with the room\'s play signature, and only g1-g3', async () => {
  const { room } = await createRoom(s.url, 'signed guest play', 'host-signed');
  const play = await playUrls(s.url, room.id);
  const forged = play.flv.replace(/sign=([^&])/, (_m, c: string) => `sign=${c === 'A' ? 'B' : 'A'}`).replace('.flv', '~g1.flv');
  expect((await fetch(forged)).status).toBe(403);
  expect((await fetch(play.flv.replace('.flv', '~g4.flv'))).status).toBe(404);
  expect((await fetch(play.hls.replace(`/live/${room.id}/`, `/live/${room.id}~g1/`))).status).toBe(404); // no guest publishes yet
  expect((await fetch(play.hls.replace(`/live/${room.id}/`, `/live/${room.id}~g9/`))).status).toBe(404);
});

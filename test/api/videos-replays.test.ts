// A room's replays (issue 14) after a real broadcast (ffmpeg publishes, the host ends the room): listed to anyone
// while public; hidden by the host (not by others), then listed only to the host and the admin, with signed URLs;
// the access check the media paths ask refuses the hidden replay without that signature.
import { join } from 'node:path';
import type { Replay } from '../../typings/vod';
import { SqliteVideoStore } from '../../server/store/sqlite/sqlite-video-store';
import { ReplayService } from '../../server/vod/replay-service';
import { call, createRoom, login } from '../helpers/http';
import { fetchFinishedReplay, publishLive, untilSegments } from '../helpers/live';
import { startTestServer, type TestServer } from '../helpers/test-server';

jest.setTimeout(120_000);
let s: TestServer;
beforeAll(async () => { s = await startTestServer({ HLS_FRAGMENT_S: '1' }); });
afterAll(async () => { await s.stop(true); });

test('list, hide, show: host and admin only; hidden replays signed for them and refused to others', async () => {
  const { token, room, push } = await createRoom(s.url, '回放', 'replay-host');
  const publisher = await publishLive(s.url, room.id, push.url);
  const play = await call(s.url, 'GET', `/api/rooms/${room.id}/play`);
  await untilSegments(play.body.play.hls, 2);
  // while live: no replay yet
  expect((await call(s.url, 'GET', `/api/rooms/${room.id}/replays`)).body.replays).toEqual([]);
  expect((await call(s.url, 'POST', `/api/rooms/${room.id}/end`, { token })).status).toBe(200);
  await publisher.exited;
  const ended = await call(s.url, 'GET', `/api/rooms/${room.id}/play`);
  await fetchFinishedReplay(ended.body.error.replay);

  const listed = await call(s.url, 'GET', `/api/rooms/${room.id}/replays`);
  expect(listed.status).toBe(200);
  const [replay] = listed.body.replays as Replay[];
  expect(listed.body.replays).toHaveLength(1);
  expect(replay).toMatchObject({ roomId: room.id, title: '回放', public: true, hls: ended.body.error.replay });
  expect(replay!.mp4).toBe(`${s.url}/replay/${room.id}/${replay!.broadcastId}.mp4`);
  expect(replay!.durationS).toBeGreaterThan(1);
  expect(Date.parse(replay!.endedAt!)).toBeGreaterThanOrEqual(Date.parse(replay!.startedAt));

  const path = `/api/rooms/${room.id}/replays/${replay!.broadcastId}`;
  const other = await login(s.url, 'replay-other');
  expect((await call(s.url, 'PATCH', path, { token: other, body: { public: false } })).status).toBe(403);
  expect((await call(s.url, 'PATCH', path, { body: { public: false } })).status).toBe(401);
  expect((await call(s.url, 'PATCH', path, { token, body: { public: 'no' } })).status).toBe(400);
  expect((await call(s.url, 'PATCH', `/api/rooms/${room.id}/replays/AAAAAAAAAA`, { token, body: { public: false } })).status).toBe(404);
  const hidden = await call(s.url, 'PATCH', path, { token, body: { public: false } });
  expect(hidden.status).toBe(200);
  expect(hidden.body.replay).toMatchObject({ broadcastId: replay!.broadcastId, public: false });
  expect(hidden.body.replay.hls).toMatch(/index\.m3u8\?expires=\d+&sign=[\w-]{43}$/);

  expect((await call(s.url, 'GET', `/api/rooms/${room.id}/replays`)).body.replays).toEqual([]);
  expect((await call(s.url, 'GET', `/api/rooms/${room.id}/replays`, { token: other })).body.replays).toEqual([]);
  const forHost = (await call(s.url, 'GET', `/api/rooms/${room.id}/replays`, { token })).body.replays as Replay[];
  expect(forHost.map((r) => [r.broadcastId, r.public])).toEqual([[replay!.broadcastId, false]]);
  const forAdmin = (await call(s.url, 'GET', `/api/rooms/${room.id}/replays`, { token: s.config.secrets.adminToken })).body.replays as Replay[];
  expect(forAdmin).toHaveLength(1);
  expect((await call(s.url, 'GET', `/api/rooms/${room.id}/replays`, { token: 'garbage' })).status).toBe(401);
  // the replay's MP4: refused bare while hidden, served with the host's signed URL
  expect((await fetch(replay!.mp4)).status).toBe(404);
  const mp4 = await fetch(forHost[0]!.mp4, { headers: { range: 'bytes=0-7' } });
  expect([mp4.status, mp4.headers.get('content-type')]).toEqual([206, 'video/mp4']);
  // its HLS too: the bare playlist and segment are refused; the signed playlist names every segment with the signature
  expect((await fetch(replay!.hls)).status).toBe(404);
  expect((await fetch(replay!.hls.replace('index.m3u8', '0.ts'))).status).toBe(404);
  const signedList = await fetch(forHost[0]!.hls);
  expect([signedList.status, signedList.headers.get('cache-control')]).toEqual([200, 'private, no-cache']);
  const uris = (await signedList.text()).split('\n').filter((l) => l && !l.startsWith('#'));
  expect(uris.length).toBeGreaterThan(0);
  const query = new URL(forHost[0]!.hls).search;
  for (const uri of uris) expect(uri.endsWith(query)).toBe(true);
  const segment = await fetch(new URL(uris[0]!, forHost[0]!.hls));
  expect([segment.status, segment.headers.get('content-type')]).toEqual([200, 'video/mp2t']);

  // the check the media paths ask (persisted: a second connection to the same database sees it)
  const store = new SqliteVideoStore(join(s.dataDir, 'wxlive.db'));
  try {
    const access = new ReplayService({ hlsRoot: join(s.dataDir, 'hls'), store, room: async () => { throw new Error('unused'); },
      signingSecret: s.config.secrets.signingSecret, playTtlS: 60 });
    expect(await access.access(room.id, replay!.broadcastId, {})).toBe('hidden');
    const signed = Object.fromEntries(new URL(forHost[0]!.mp4).searchParams);
    expect(await access.access(room.id, replay!.broadcastId, signed)).toBe('ok');
    expect(await access.access(room.id, 'BBBBBBBBBB', signed)).toBe('ok'); // not hidden (and not there: the media's 404)
  } finally {
    await store.close();
  }

  expect((await call(s.url, 'PATCH', path, { token: s.config.secrets.adminToken, body: { public: true } })).body.replay.public).toBe(true);
  expect((await call(s.url, 'GET', `/api/rooms/${room.id}/replays`)).body.replays).toHaveLength(1);
  expect((await call(s.url, 'GET', '/api/rooms/AAAAAAAAAAAA/replays')).status).toBe(404);
});

// GET /api/admin/stats/history on a real server: admin only, the server series sampled every 2 s, and a stream
// published by ffmpeg recorded with its bitrate, fps and viewers; ?roomId= narrows it to that stream.
import type { StatsHistoryResponse } from '../../typings/api';
import { killAll } from '../helpers/ffmpeg';
import { call, createRoom } from '../helpers/http';
import { publishLive } from '../helpers/live';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { until } from '../helpers/wait';

jest.setTimeout(60000);

let s: TestServer;
beforeAll(async () => { s = await startTestServer(); });
afterAll(async () => {
  await killAll();
  await s?.stop(true);
});

const history = (query = '') => call<StatsHistoryResponse>(s.url, 'GET', `/api/admin/stats/history${query}`, { token: s.config.secrets.adminToken });

test('needs the admin token', async () => {
  expect((await call(s.url, 'GET', '/api/admin/stats/history')).status).toBe(401);
  const wrong = await call(s.url, 'GET', '/api/admin/stats/history', { token: 'nope' });
  expect(wrong.status).toBe(403);
});

test('refuses a roomId that cannot be a room id', async () => {
  const r = await history('?roomId=..%2Fetc');
  expect(r.status).toBe(400);
  expect(r.body).toMatchObject({ error: { code: 'invalid_request' } });
});

test('records the server and a live stream every 2 s', async () => {
  const { room, push } = await createRoom(s.url, 'Charted');
  const pub = await publishLive(s.url, room.id, push.url, { size: '320x180', fps: 25, gop: 25, durationS: 40 });
  try {
    // a few points with the publisher's bitrate measured (the ingest averages over a few seconds)
    await until(async () => {
      const r = await history(`?roomId=${room.id}`);
      const st = r.body.streams[0];
      return !!st && st.t.length >= 3 && st.bitrateIn.at(-1)! > 0 && st.fps.at(-1)! > 0;
    }, 30000, 'three points of the live stream', 500);
    const r = await history(`?roomId=${room.id}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    const { intervalS, windowS, server, streams } = r.body;
    expect([intervalS, windowS]).toEqual([2, 1800]);
    expect(streams).toHaveLength(1);
    const st = streams[0]!;
    expect(st.roomId).toBe(room.id);
    expect(st.live).toBe(true);
    for (const series of [st.bitrateIn, st.fps, st.viewers.flv, st.viewers.rtmp, st.viewers.hls]) expect(series).toHaveLength(st.t.length);
    expect(st.droppedViewers).toEqual(st.t.map(() => 0)); // counted per stream; nobody was too slow here
    expect(st.fps.at(-1)).toBeGreaterThan(20);
    expect(st.bitrateIn.at(-1)).toBeGreaterThan(20_000);
    // points 2 s apart, in Unix seconds
    const gaps = st.t.slice(1).map((t, i) => t - st.t[i]!);
    for (const g of gaps) expect(g).toBeGreaterThan(1.5), expect(g).toBeLessThan(3);
    expect(Math.abs(st.t.at(-1)! - Date.now() / 1000)).toBeLessThan(5);

    expect(server.t.length).toBeGreaterThanOrEqual(3);
    for (const series of Object.values(server)) expect(series).toHaveLength(server.t.length);
    expect(server.rssBytes.at(-1)).toBeGreaterThan(10e6);
    expect(server.cpuPercent.every((c) => c >= 0)).toBe(true);
    expect(server.rtmpConnections.at(-1)).toBeGreaterThanOrEqual(1); // the publisher
    expect(server.httpConnections.at(-1)).toBeGreaterThanOrEqual(1); // this test's own keep-alive requests
    expect(server.droppedViewers.every((d) => d === 0)).toBe(true);

    // the full history lists the same stream; another id lists none
    expect((await history()).body.streams.map((x) => x.roomId)).toContain(room.id);
    expect((await history('?roomId=nothinghere0')).body.streams).toEqual([]);
  } finally {
    await pub.stop();
  }
});

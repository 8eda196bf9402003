// Issue 3 end to end: what operators and clients read about a live stream — `viewers` in GET /api/rooms/:id,
// GET /api/admin/stats with real publisher, codec, rate and byte figures, and the /metrics series.
import type { AdminStatsResponse, StreamStats } from '../../../typings/api';
import { killAll, publish, type ChildHandle } from '../../helpers/ffmpeg';
import { call, createRoom } from '../../helpers/http';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { FlvWatcher, getRoom, metricValue, playUrls, until, untilStatus, within } from './e2e-kit';

let s: TestServer;
let roomId: string;
let pushUrl: string;
let pub: ChildHandle;
let viewer: FlvWatcher | undefined;

beforeAll(async () => {
  s = await startTestServer({ HLS_FRAGMENT_S: '1' });
  const created = await createRoom(s.url, 'measured');
  roomId = created.room.id;
  pushUrl = created.push.url;
  pub = publish(pushUrl, { gop: 25 });
  await untilStatus(s.url, roomId, 'live', 5000);
}, 20000);

afterAll(async () => {
  viewer?.close();
  await killAll();
  await s?.stop(true);
});

const metrics = async () => (await fetch(`${s.url}/metrics`, { headers: { authorization: `Bearer ${s.config.secrets.adminToken}` } })).text();

async function stats(): Promise<{ all: AdminStatsResponse; stream: StreamStats | undefined }> {
  const r = await call<AdminStatsResponse>(s.url, 'GET', '/api/admin/stats', { token: s.config.secrets.adminToken });
  expect(r.status).toBe(200);
  return { all: r.body, stream: r.body.streams.find((x) => x.roomId === roomId) };
}

test('viewers counts a connected FLV viewer, then an HLS client once it fetched the playlist', async () => {
  expect((await getRoom(s.url, roomId)).viewers).toBe(0);
  const play = await playUrls(s.url, roomId);
  viewer = await FlvWatcher.open(play.flv);
  await until(() => viewer!.media().length > 0, 5000, 'media at the FLV viewer');
  expect((await getRoom(s.url, roomId)).viewers).toBe(1);
  await until(async () => (await fetch(play.hls, { headers: { 'user-agent': 'e2e-hls-client' } })).status === 200, 5000, 'the playlist');
  expect((await getRoom(s.url, roomId)).viewers).toBe(2);
});

test('GET /api/admin/stats: publisher, codecs, input rate, viewers and bytes out of the live stream', async () => {
  await until(async () => ((await stats()).stream?.bitrateIn ?? 0) > 0, 6000, 'an input bitrate');
  const { all, stream } = await stats();
  expect(stream).toBeDefined();
  const st = stream!;
  expect(st.publisher!.address).toBe('127.0.0.1');
  expect(Date.parse(st.publisher!.since)).toBeLessThanOrEqual(Date.now());
  // codec names are spelled as nginx-rtmp's stat page does (H264, AAC): compare without case
  expect({ ...st.video!, codec: st.video!.codec.toLowerCase() }).toMatchObject({ codec: 'h264', width: 320, height: 240 });
  expect(Math.abs(st.video!.fps - 25)).toBeLessThanOrEqual(1);
  expect({ ...st.audio!, codec: st.audio!.codec.toLowerCase() }).toMatchObject({ codec: 'aac', sampleRate: 44100 });
  // testsrc at 320x240 with 64 kb/s AAC: tens to hundreds of kb/s, never zero, never absurd
  expect(st.bitrateIn).toBeGreaterThan(32_000);
  expect(st.bitrateIn).toBeLessThan(5_000_000);
  expect(st.viewers).toEqual({ flv: 1, rtmp: 0, hls: 1, total: 2 });
  expect(st.bytesIn).toBeGreaterThan(0);
  expect(st.bytesOut).toBeGreaterThan(0);
  expect(st.bytesOut).toBeGreaterThanOrEqual(viewer!.bytes * 0.9);
  expect(all.totals).toMatchObject({ streams: 1, publishers: 1, viewers: 2 });
  expect(all.totals.bytesIn).toBe(st.bytesIn);
  expect(all.rooms.live).toBe(1);
});

test('/metrics: wxlive_streams 1 while live; a tampered publish counts as bad_signature', async () => {
  await until(async () => metricValue(await metrics(), 'wxlive_streams') === 1, 3000, 'wxlive_streams 1');
  expect(metricValue(await metrics(), 'wxlive_publish_refusals_total{reason="bad_signature"}')).toBeNull();
  const sign = new URL(pushUrl.replace(/^rtmp:/, 'http:')).searchParams.get('sign')!;
  const tampered = pushUrl.replace(sign, (sign[0] === 'A' ? 'B' : 'A') + sign.slice(1));
  const bad = publish(tampered, { gop: 25 });
  expect((await within(bad.exited, 8000))?.code).not.toBe(0);
  const text = await metrics();
  expect(metricValue(text, 'wxlive_publish_refusals_total{reason="bad_signature"}')).toBe(1);
  expect(metricValue(text, 'wxlive_bytes_in_total')).toBeGreaterThan(0);
  expect(metricValue(text, 'wxlive_viewers{protocol="flv"}')).toBe(1);
  expect(metricValue(text, 'wxlive_bytes_out_total{protocol="flv"}')).toBeGreaterThan(0);
  // the refused publisher did not disturb the live one
  expect(pub.proc.exitCode).toBeNull();
  expect((await getRoom(s.url, roomId)).status).toBe('live');

  // a viewer that leaves is no longer counted (the HLS client still is, for a while)
  viewer!.close();
  await until(async () => (await getRoom(s.url, roomId)).viewers === 1, 2000, 'viewers back to 1');
  expect((await stats()).stream!.viewers).toEqual({ flv: 0, rtmp: 0, hls: 1, total: 1 });

  await pub.stop();
  await until(async () => metricValue(await metrics(), 'wxlive_streams') === 0, 3000, 'wxlive_streams 0');
});

test('a viewer that came and left a room that never went live leaves no stream behind in the stats', async () => {
  const idle = await createRoom(s.url, 'never live', 'host-idle');
  const play = await playUrls(s.url, idle.room.id);
  const w = await FlvWatcher.open(play.flv);
  expect(w.status).toBe(200);
  await until(async () => (await stats()).all.streams.some((x) => x.roomId === idle.room.id), 2000, 'the waiting viewer in the stats');
  w.close();
  await until(async () => !(await stats()).all.streams.some((x) => x.roomId === idle.room.id), 3000, 'the idle room to leave the stats');
  expect((await getRoom(s.url, idle.room.id)).viewers).toBe(0);
});

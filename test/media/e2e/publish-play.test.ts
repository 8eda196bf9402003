// Issue 3 end to end: ffmpeg publishes H.264+AAC (2 s GOP) to the push URL POST /api/rooms issued; the room goes
// live, ffprobe reads the FLV URL, rtmpdump plays the RTMP URL, and the live HLS playlist and every segment pass
// ffprobe and hls-parser (strict).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlayUrls } from '../../../typings/api';
import { ffprobeJson, killAll, publish, rtmpdump, type ChildHandle } from '../../helpers/ffmpeg';
import { createRoom } from '../../helpers/http';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { checkPlaylist, playUrls, until, untilStatus } from './e2e-kit';

const FRAGMENT_S = 2;
let s: TestServer;
let roomId: string;
let pub: ChildHandle;
let play: PlayUrls;
const dir = mkdtempSync(join(tmpdir(), 'wxlive-e2e-play-'));

beforeAll(async () => {
  s = await startTestServer({ HLS_FRAGMENT_S: String(FRAGMENT_S), HLS_PLAYLIST_LENGTH_S: '10' });
}, 20000);

afterAll(async () => {
  await killAll();
  await s?.stop(true);
  rmSync(dir, { recursive: true, force: true });
});

test('the room turns live within 2 s of ffmpeg starting; the HLS playlist appears within HLS_FRAGMENT_S + 2 s', async () => {
  const created = await createRoom(s.url, 'e2e publish');
  roomId = created.room.id;
  expect(created.room.status).toBe('idle');
  expect(created.push.url).toBe(`${s.rtmpUrl}/${created.push.streamKey}`);
  play = await playUrls(s.url, roomId);
  pub = publish(created.push.url, { gop: 50 });
  const toLive = await untilStatus(s.url, roomId, 'live', 2000);
  const t0 = Date.now();
  await until(async () => (await fetch(play.hls)).status === 200, (FRAGMENT_S + 2) * 1000, 'the HLS playlist');
  expect(toLive).toBeLessThan(2000);
  expect(Date.now() - t0).toBeLessThanOrEqual((FRAGMENT_S + 2) * 1000);
  expect(pub.proc.exitCode).toBeNull();
});

test('ffprobe reads both streams from the FLV URL', async () => {
  const p = await ffprobeJson(play.flv);
  expect(p.streams.map((x) => x.codec_name).sort()).toEqual(['aac', 'h264']);
  const video = p.streams.find((x) => x.codec_type === 'video')!;
  expect([video.width, video.height]).toEqual([320, 240]);
  expect(p.streams.find((x) => x.codec_type === 'audio')!.sample_rate).toBe('44100');
});

test('rtmpdump plays the RTMP URL: what it saved holds H.264 and AAC', async () => {
  const out = join(dir, 'rtmpdump.flv');
  const player = rtmpdump(play.rtmp, out, 30);
  const size = () => { try { return statSync(out).size; } catch { return 0; } };
  await until(() => size() > 60_000, 10000, 'rtmpdump to save some of the stream');
  await player.stop();
  const p = await ffprobeJson(out);
  expect(p.streams.map((x) => x.codec_name).sort()).toEqual(['aac', 'h264']);
  expect(pub.proc.exitCode).toBeNull();
});

test('the live playlist passes hls-parser (strict); every listed segment passes ffprobe', async () => {
  // three segments: the first (which starts the stream) and two cut mid-stream
  let text = '';
  await until(async () => {
    text = await (await fetch(play.hls)).text();
    return (text.match(/^#EXTINF/gm) ?? []).length >= 3;
  }, 12000, 'three segments in the live playlist');
  const res = await fetch(play.hls);
  expect(res.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
  expect(res.headers.get('cache-control')).toBe('no-cache');
  expect(res.headers.get('access-control-allow-origin')).toBe('*');
  text = await res.text();

  const { list, probes, problems } = await checkPlaylist(play.hls, text, dir, ['video', 'audio']);
  expect(list.isMasterPlaylist).toBe(false);
  expect(list.segments.length).toBeGreaterThanOrEqual(3);
  expect(list.endlist).toBe(false);
  for (const seg of list.segments) expect(Math.round(seg.duration)).toBeLessThanOrEqual(list.targetDuration);
  for (const p of probes) expect(p.streams.map((x) => x.codec_name).sort()).toEqual(['aac', 'h264']);
  expect(problems).toEqual([]);
  // and DTS go on increasing from one segment to the next (no discontinuity here)
  for (const kind of ['video', 'audio']) {
    const dts = probes.flatMap((p) => p.packets.filter((k) => k.codec_type === kind).map((k) => k.dts!));
    const back = dts.findIndex((d, i) => i > 0 && !(d > dts[i - 1]!));
    expect([kind, back]).toEqual([kind, -1]);
  }
  // a 2 s GOP and 2 s fragments: segments cut mid-stream are 2 s long
  for (const seg of list.segments.slice(1, -1)) expect(Math.abs(seg.duration - 2)).toBeLessThan(0.1);
  expect(pub.proc.exitCode).toBeNull();
}, 30000);

// A real broadcast's replay as one MP4: ffmpeg publishes to a real wxlive server, the host ends the room, and the
// replay the recorder left in DATA_DIR/hls is served as /replay/<roomId>/<broadcastId>.mp4: ffprobe finds both
// streams and the replay playlist's duration (±0.5 s), Range answers 206, Chromium's <video> plays it to the end.
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { vodLane } from '../../server/api/vod-lane';
import { VodMediaHttp } from '../../server/vod-media/vod-media-http';
import { ffprobeJson, killAll, publish } from '../helpers/ffmpeg';
import { call, createRoom } from '../helpers/http';
import { launchBrowser, type TestBrowser } from '../helpers/browser';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { untilStatus } from '../media/e2e/e2e-kit';

let s: TestServer;
let server: Server;
let base: string;
let browser: TestBrowser | undefined;
let mp4Path = '';
let playlistS = 0;

beforeAll(async () => {
  s = await startTestServer({ HLS_FRAGMENT_S: '1' });
  const vod = new VodMediaHttp({
    catalog: { byId: async () => null, checkPlay: () => null },
    vodHlsRoot: join(s.dataDir, 'vod-hls'),
    hlsRoot: join(s.dataDir, 'hls'),
    fragmentS: 1,
  });
  const lane = vodLane(vod, { log: pino({ level: 'silent' }) });
  server = createServer((req, res) => {
    if (req.url === '/page') {
      return res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><video id="v" muted playsinline src="${mp4Path}"></video><script>
        window.report = { ended: false, error: null }; const v = document.getElementById('v');
        v.addEventListener('ended', () => { window.report.ended = true; });
        v.addEventListener('error', () => { window.report.error = String(v.error && v.error.message); });
        v.playbackRate = 4; v.play();</script>`);
    }
    if (!lane(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 30000);

afterAll(async () => {
  await browser?.close();
  await killAll();
  await new Promise((resolve) => server?.close(resolve));
  await s?.stop(true);
});

test('the replay of a real broadcast becomes an MP4 that ffprobe and Chromium accept', async () => {
  const { room, push, token } = await createRoom(s.url, 'replay as mp4', 'host-mp4');
  const pub = publish(push.url, { gop: 25, durationS: 8 });
  await untilStatus(s.url, room.id, 'live', 8000);
  await pub.exited;
  const end = await call(s.url, 'POST', `/api/rooms/${room.id}/end`, { token });
  expect(end.status).toBe(200);
  const ended = await call(s.url, 'GET', `/api/rooms/${room.id}/play`);
  const replay = ended.body.error.replay as string; // …/replay/<roomId>/<broadcastId>/index.m3u8
  const [, roomId, broadcastId] = /\/replay\/([^/]+)\/([^/]+)\/index\.m3u8/.exec(replay)!;
  const text = await (await fetch(replay)).text();
  expect(text).toContain('#EXT-X-ENDLIST');
  playlistS = [...text.matchAll(/#EXTINF:([\d.]+),/g)].reduce((a, m) => a + Number(m[1]), 0);
  expect(playlistS).toBeGreaterThan(5);

  mp4Path = `/replay/${roomId}/${broadcastId}.mp4`;
  const probe = await ffprobeJson(`${base}${mp4Path}`);
  expect(probe.streams.map((x) => x.codec_name).sort()).toEqual(['aac', 'h264']);
  // the esds carries the AudioSpecificConfig (without it ffprobe still names the codec, but not its profile)
  expect((probe.streams.find((x) => x.codec_type === 'audio') as { profile?: string }).profile).toBe('LC');
  expect(Math.abs(Number(probe.format!.duration) - playlistS)).toBeLessThan(0.5);
  const part = await fetch(`${base}${mp4Path}`, { headers: { range: 'bytes=0-1023' } });
  expect(part.status).toBe(206);
  expect((await part.arrayBuffer()).byteLength).toBe(1024);

  browser = await launchBrowser();
  const { page, errors } = await browser.newPage();
  await page.goto(`${base}/page`);
  await page.waitForFunction('window.report.ended === true || window.report.error !== null', undefined, { timeout: 40000 });
  const report = (await page.evaluate('({ ...window.report, t: document.getElementById("v").currentTime, d: document.getElementById("v").duration })')) as { ended: boolean; error: string | null; t: number; d: number };
  expect(errors).toEqual([]);
  expect(report.error).toBeNull();
  expect(report.ended).toBe(true);
  expect(Math.abs(report.d - playlistS)).toBeLessThan(0.5);
}, 90000);

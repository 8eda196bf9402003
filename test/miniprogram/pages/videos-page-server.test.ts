/** @jest-environment ./test/miniprogram/helpers/jsdom-node-env.ts */
// The Videos page against the real server: wx.request is real HTTP (nodeWx) to startTestServer(). An admin
// uploads an ffmpeg-made MP4 (PUT /api/admin/videos/:name), the page lists it with the server's duration and
// size, a tap gives the <video> the server's HLS URL, which answers a VOD playlist; its MP4 fallback answers the
// file. A real broadcast's replay then shows on ?roomId= and plays the same way.
import { readFileSync } from 'node:fs';
import { CONFIG } from '../../../miniprogram/config';
import { formatDuration } from '../../../miniprogram/lib/format';
import { createApi } from '../../../miniprogram/services/client';
import { killAll, publish } from '../../helpers/ffmpeg';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { until as waitUntil } from '../../helpers/wait';
import { fixture } from '../../vod/media-fixtures';
import { nodeWx } from '../helpers/node-wx';
import { $$, fire, renderPage, simWx, stubBuiltin, text, until, useLanguage, useWxPort, type SimComponent } from '../helpers/simulate';

jest.setTimeout(90_000);
stubBuiltin('video', { src: String, title: String });

let s: TestServer;
const pages: SimComponent[] = [];

beforeAll(async () => {
  s = await startTestServer({ DISK_MIN_FREE_MB: '0', VOD_UPLOADS_PER_MIN: '1000' });
  CONFIG.apiBase = s.url; // before the page's first request creates the app's client
});
afterAll(async () => {
  for (const p of pages) p.instance.onUnload();
  await killAll();
  await s.stop(true);
});

beforeEach(() => {
  useLanguage('en');
  useWxPort(nodeWx('videos-viewer'));
  simWx().setNavigationBarTitle = () => undefined;
  simWx().createVideoContext = () => ({ play: () => undefined, pause: () => undefined, stop: () => undefined });
});

async function open(query: Record<string, string>): Promise<SimComponent> {
  const page = renderPage('videos');
  pages.push(page);
  await page.instance.onLoad(query);
  return page;
}

async function playRow(page: SimComponent, title: string): Promise<string> {
  const i = $$(page, '.row .title').map(text).indexOf(title);
  expect(i).toBeGreaterThanOrEqual(0);
  await fire(page.querySelectorAll('.row')[i], 'tap');
  await until(() => page.querySelector('#vod') !== undefined, 'video shown', 10000);
  return page.querySelector('#vod')!.data.src as string;
}

test('an uploaded MP4 is listed with its duration and size; its HLS plays, its MP4 fallback answers the file', async () => {
  const file = readFileSync(await fixture(s.dataDir, 'good.mp4'));
  const put = await fetch(`${s.url}/api/admin/videos/page-clip.mp4`, {
    method: 'PUT', headers: { authorization: `Bearer ${s.config.secrets.adminToken}`, 'content-type': 'application/octet-stream' }, body: new Uint8Array(file),
  });
  expect(put.status).toBe(201);
  const { video } = await put.json() as { video: { id: string; durationS: number } };

  const page = await open({});
  expect($$(page, '.row .title').map(text)).toContain('page-clip');
  expect(text($$(page, '.row .duration')[0])).toBe(formatDuration(video.durationS));
  expect(text($$(page, '.row .note')[0])).toMatch(/^\d+(\.\d)? KB · /);

  const src = await playRow(page, 'page-clip');
  expect(src).toBe(`${s.url}/vod/${video.id}/index.m3u8`);
  const hls = await fetch(src);
  expect(hls.status).toBe(200);
  const playlist = await hls.text();
  expect(playlist).toMatch(/^#EXTM3U/);
  expect(playlist).toContain('#EXT-X-ENDLIST');

  await fire(page.querySelector('#vod')!, 'error', { errMsg: 'x' });
  const mp4 = page.querySelector('#vod')!.data.src as string;
  expect(mp4).toBe(`${s.url}/vod/${video.id}/file`);
  const res = await fetch(mp4, { headers: { range: 'bytes=0-99' } });
  expect([res.status, res.headers.get('content-type')]).toEqual([206, 'video/mp4']);
  expect(Buffer.from(await res.arrayBuffer()).equals(file.subarray(0, 100))).toBe(true);
});

test('a finished broadcast\'s replay is listed on ?roomId= and its HLS and MP4 answer 200', async () => {
  const hostWx = nodeWx('videos-e2e-host');
  const host = createApi(s.url, () => hostWx);
  const { room, push } = await host.createRoom({ title: 'Replay me' });
  const pub = publish(push.url, { durationS: 5 });
  await waitUntil(async () => (await host.getRoom(room.id)).status === 'live', 15000, 'room live');
  await pub.exited;
  await host.endRoom(room.id);
  await waitUntil(async () => (await host.replays(room.id)).length === 1, 15000, 'replay listed');

  const page = await open({ roomId: room.id });
  expect($$(page, '.row .title').map(text)).toEqual(['Replay me']);
  const src = await playRow(page, 'Replay me');
  expect(src).toMatch(new RegExp(`^${s.url}/replay/${room.id}/\\w+/index\\.m3u8$`));
  const playlist = await (await fetch(src)).text();
  expect(playlist).toContain('#EXT-X-ENDLIST');
  await fire(page.querySelector('#vod')!, 'error', { errMsg: 'x' });
  const mp4 = page.querySelector('#vod')!.data.src as string;
  expect(mp4).toBe(src.replace(/\/index\.m3u8$/, '.mp4'));
  const res = await fetch(mp4);
  expect([res.status, res.headers.get('content-type')]).toEqual([200, 'video/mp4']);
  expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(1000);
});

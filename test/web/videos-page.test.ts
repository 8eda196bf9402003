// The H5 videos page (/videos) in Chromium against a real server: ffmpeg-made MP4 and FLV uploaded by the admin
// and listed in Chinese with their length, date and size; a tapped row plays to its end through hls.js (and the
// MP4 itself when HLS cannot load); cursor pages; the error state and Retry; a real broadcast's replays on ?room=
// with their MP4 download; the entries from the front page and an ended room's watch page. (Empty states:
// videos-page-states.test.ts, on a server of its own.)
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import type { Replay, Video, VideoListResponse } from '../../typings/vod';
import { launchBrowser, PHONE, type TestBrowser } from '../helpers/browser';
import { killAll } from '../helpers/ffmpeg';
import { call } from '../helpers/http';
import { publishLive } from '../helpers/live';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { until } from '../helpers/wait';
import { fixture } from '../vod/media-fixtures';
import { createRoom, endRoom, inPage, screenshot, visibleText, waitInPage } from './fixtures';

jest.setTimeout(120_000);

let s: TestServer;
let zh: TestBrowser;
let en: TestBrowser;
/** newest first, as the API lists them */
let videos: Video[] = [];

const VIDEO = "document.getElementById('video')";
const PLAYER = '#player';

async function upload(name: string, file: string, title: string): Promise<Video> {
  const admin = s.config.secrets.adminToken;
  const put = await fetch(`${s.url}/api/admin/videos/${name}`, {
    method: 'PUT', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/octet-stream' }, body: new Uint8Array(readFileSync(file)),
  });
  if (put.status !== 201) throw new Error(`upload ${name}: ${put.status} ${await put.text()}`);
  const { video } = (await put.json()) as { video: Video };
  const patched = await call<{ video: Video }>(s.url, 'PATCH', `/api/admin/videos/${video.id}`, { token: admin, body: { title } });
  if (patched.status !== 200) throw new Error(`title ${name}: ${patched.status}`);
  return patched.body.video;
}

beforeAll(async () => {
  [s, zh, en] = await Promise.all([
    startTestServer({ HLS_FRAGMENT_S: '1', VOD_UPLOADS_PER_MIN: '1000', DISK_MIN_FREE_MB: '0' }),
    launchBrowser({ locale: 'zh-CN' }), launchBrowser({ locale: 'en-US' }),
  ]);
  const [mp4, flv] = [await fixture(s.dataDir, 'good.mp4'), await fixture(s.dataDir, 'good.flv')];
  // one after the other: the list is newest first
  await upload('sunset.mp4', mp4, '海边日落');
  await upload('harbour.flv', flv, '港口清晨');
  await upload('market.mp4', mp4, '夜市一角');
  videos = (await call<VideoListResponse>(s.url, 'GET', '/api/videos?limit=100')).body.videos;
  expect(videos.map((v) => v.title)).toEqual(['夜市一角', '港口清晨', '海边日落']);
}, 90_000);
afterAll(async () => {
  await killAll();
  await Promise.all([zh?.close(), en?.close()]);
  await s?.stop(true);
});

const byTitle = (title: string): Video => videos.find((v) => v.title === title)!;
const row = (key: string) => `#list li[data-key="${key}"]`;

/** Latin words on screen that are not names (the brand, units, technical names). */
async function englishOnScreen(page: Page): Promise<string[]> {
  const text = await inPage<string>(page, 'document.body.innerText');
  const ok = new Set(['wxlive', 'KB', 'MB', 'GB', 'MP4']);
  return (text.match(/[A-Za-z][A-Za-z0-9_/-]+/g) ?? []).filter((w) => !ok.has(w));
}

/** Plays until the end: currentTime advances while playing, then the clip ends at its length (±0.5 s). */
async function expectPlaysToEnd(page: Page, lengthS: number): Promise<void> {
  await waitInPage(page, `${VIDEO}.currentTime > 0.5 && !${VIDEO}.paused`, 30_000);
  const t0 = await inPage<number>(page, `${VIDEO}.currentTime`);
  await waitInPage(page, `${VIDEO}.currentTime > ${t0 + 0.5} || ${VIDEO}.ended`, 10_000);
  await waitInPage(page, `${VIDEO}.ended`, 30_000);
  await page.waitForSelector(`${PLAYER}[data-player="ended"]`);
  expect(Math.abs((await inPage<number>(page, `${VIDEO}.currentTime`)) - lengthS)).toBeLessThan(0.5);
}

test('GET /videos is an HTML page with a CSP that lets hls.js play (blob: media and worker) and no outside script', async () => {
  const res = await fetch(`${s.url}/videos?room=AAAAAAAAAAAA`);
  expect([res.status, res.headers.get('content-type'), res.headers.get('cache-control')]).toEqual([200, 'text/html; charset=utf-8', 'no-cache']);
  const csp = res.headers.get('content-security-policy')!;
  for (const part of ["script-src 'self'", 'media-src * data: blob:', "worker-src 'self' blob:", "object-src 'none'"]) expect(csp).toContain(part);
  const html = await res.text();
  expect(html).toMatch(/<script type="module" src="\/assets\/videos-[A-Z0-9]+\.js"><\/script>/);
  expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
});

test('the library in Chinese: each video with its title, m:ss length, date and size, newest first; nothing English on screen', async () => {
  const { page, errors } = await zh.newPage(PHONE);
  await page.goto(`${s.url}/videos`);
  await page.waitForSelector('#videos[data-state="ready"]');
  expect([await page.getAttribute('html', 'lang'), await page.title(), await visibleText(page, '#heading')]).toEqual(['zh-CN', 'wxlive · 视频', '视频']);
  expect(await page.locator('#list .video-title').allTextContents()).toEqual(['夜市一角', '港口清晨', '海边日落']);
  const sunset = byTitle('海边日落');
  expect(sunset.durationS).toBeGreaterThan(2.5);
  expect(await visibleText(page, `${row(sunset.id)} .video-duration`)).toBe('0:03');
  const kb = (sunset.sizeBytes / 1024).toFixed(1);
  expect(await visibleText(page, `${row(sunset.id)} .video-meta`)).toMatch(new RegExp(`^\\d{4}/\\d{1,2}/\\d{1,2} \\d\\d:\\d\\d:\\d\\d · ${kb} KB$`));
  // library videos have no download link (the FLV original would not play in a browser anyway)
  expect(await page.locator('#list .video-download').count()).toBe(0);
  expect([await visibleText(page, '#more'), await visibleText(page, '#empty'), await visibleText(page, '#error')]).toEqual([null, null, null]);
  expect([await visibleText(page, '#link-home'), await visibleText(page, '#link-all')]).toEqual(['首页', null]);
  expect(await englishOnScreen(page)).toEqual([]);
  expect((await screenshot(page, 'videos-zh-CN-phone-390x844')).colours).toBeGreaterThan(20);
  expect(errors).toEqual([]);
  await page.close();
});

test.each([['海边日落', 'MP4'], ['港口清晨', 'FLV']])('tapping %s (%s) plays its HLS in hls.js to the end', async (title) => {
  const video = byTitle(title);
  const { page, errors } = await zh.newPage();
  await page.goto(`${s.url}/videos`);
  await page.click(`${row(video.id)} .video-open`);
  await page.waitForSelector(`${PLAYER}[data-key="${video.id}"]`);
  expect(await visibleText(page, '#player-title')).toBe(title);
  expect(await visibleText(page, '#player-meta')).toMatch(/^0:03 · \d{4}\//);
  await expectPlaysToEnd(page, video.durationS);
  expect([await page.getAttribute(PLAYER, 'data-source'), await page.getAttribute(PLAYER, 'data-engine')]).toEqual(['hls', 'hls.js']);
  expect(await page.getAttribute(row(video.id), 'aria-current')).toBe('true');
  // the clip's last frame stays in the player (ffmpeg's test picture: many colours)
  expect((await screenshot(page, `videos-played-${video.format}-desktop-1280x800`)).colours).toBeGreaterThan(50);
  expect(errors).toEqual([]);
  await page.close();
});

test('when HLS cannot load, an MP4 plays from its file (progressive, Range) to the end; an FLV has nothing to fall back on', async () => {
  const { page } = await en.newPage();
  // the network refuses every playlist: hls.js gives up, the page falls back
  await page.route('**/*.m3u8*', (route) => route.abort('connectionrefused'));
  await page.goto(`${s.url}/videos`);
  const mp4 = byTitle('海边日落');
  await page.click(`${row(mp4.id)} .video-open`);
  await expectPlaysToEnd(page, mp4.durationS);
  expect([await page.getAttribute(PLAYER, 'data-source'), await page.getAttribute(PLAYER, 'data-engine')]).toEqual(['file', 'native']);
  expect(await inPage<string>(page, `${VIDEO}.currentSrc`)).toBe(`${s.url}/vod/${mp4.id}/file`);

  await page.click(`${row(byTitle('港口清晨').id)} .video-open`);
  await page.waitForSelector(`${PLAYER}[data-player="failed"]`, { timeout: 30_000 });
  expect(await visibleText(page, '#player-message')).toBe('This video cannot be played here.');
  await page.close();
});

test('an HLS playlist that never answers is given up after 15 s (no fatal error from hls.js yet): the MP4 plays', async () => {
  const { page } = await en.newPage();
  const held: Array<() => void> = [];
  await page.route('**/*.m3u8*', (route) => { held.push(() => void route.abort().catch(() => {})); });
  await page.goto(`${s.url}/videos`);
  const mp4 = byTitle('夜市一角');
  const t0 = Date.now();
  await page.click(`${row(mp4.id)} .video-open`);
  await page.waitForSelector(`${PLAYER}[data-source="file"]`, { timeout: 25_000 });
  expect(Date.now() - t0).toBeGreaterThan(14_000);
  await expectPlaysToEnd(page, mp4.durationS);
  for (const release of held) release();
  await page.close();
});

test('cursor pages: ?limit=2 shows two, "load more" the third, then no more', async () => {
  const { page, errors } = await zh.newPage();
  await page.goto(`${s.url}/videos?limit=2`);
  await page.waitForSelector('#videos[data-state="ready"]');
  expect(await page.locator('#list .video-title').allTextContents()).toEqual(['夜市一角', '港口清晨']);
  expect(await visibleText(page, '#more')).toBe('加载更多');
  await page.click('#more');
  await page.waitForSelector('#list li:nth-child(3)');
  expect(await page.locator('#list .video-title').allTextContents()).toEqual(['夜市一角', '港口清晨', '海边日落']);
  await page.waitForSelector('#more', { state: 'hidden' });
  expect(errors).toEqual([]);
  await page.close();
});

test('an unreachable API shows the error with Retry; Retry loads the list', async () => {
  const { page } = await zh.newPage();
  await page.route('**/api/videos?*', (route) => route.abort('connectionrefused'));
  await page.goto(`${s.url}/videos`);
  await page.waitForSelector('#videos[data-state="error"]');
  expect(await visibleText(page, '#error-text')).toBe('列表加载失败：无法连接服务器。');
  expect(await visibleText(page, '#retry')).toBe('重试');
  await page.unroute('**/api/videos?*');
  await page.click('#retry');
  await page.waitForSelector('#videos[data-state="ready"]');
  expect(await page.locator('#list li').count()).toBe(3);
  expect(await visibleText(page, '#error')).toBeNull();
  await page.close();
});

describe('a room that broadcast', () => {
  let roomId = '';
  let replay: Replay;
  beforeAll(async () => {
    const r = await createRoom(s, '周末音乐会');
    roomId = r.room.id;
    const pub = await publishLive(s.url, roomId, r.push.url, { size: '160x120', fps: 25, gop: 25, durationS: 30 }, 15_000);
    await new Promise((done) => setTimeout(done, 4000)); // a few one-second segments
    await endRoom(s, roomId);
    await pub.stop();
    await until(async () => {
      const list = await call<{ replays: Replay[] }>(s.url, 'GET', `/api/rooms/${roomId}/replays`);
      replay = list.body.replays[0]!;
      return list.status === 200 && !!replay && replay.durationS > 1;
    }, 15_000, 'the replay listed');
  }, 60_000);

  test('?room= lists its replays with an MP4 download link, and a tap plays the replay to its end', async () => {
    const { page, errors } = await zh.newPage(PHONE);
    await page.goto(`${s.url}/videos?room=${roomId}`);
    await page.waitForSelector('#videos[data-state="ready"]');
    expect([await page.getAttribute('#videos', 'data-mode'), await visibleText(page, '#heading')]).toEqual(['replays', '“周末音乐会”的回放']);
    expect(await page.title()).toBe('回放 · 周末音乐会 · wxlive');
    const r = row(replay.broadcastId);
    expect(await visibleText(page, `${r} .video-title`)).toBe('周末音乐会');
    expect(await visibleText(page, `${r} .video-duration`)).toMatch(/^0:0[2-9]$/);
    expect(await visibleText(page, `${r} .video-download`)).toBe('下载 MP4');
    const href = (await page.getAttribute(`${r} .video-download`, 'href'))!;
    expect(href).toBe(replay.mp4);
    const mp4 = await fetch(href);
    expect([mp4.status, mp4.headers.get('content-type')]).toEqual([200, 'video/mp4']);
    expect((await mp4.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    expect(await englishOnScreen(page)).toEqual([]);

    await page.click(`${r} .video-open`);
    await expectPlaysToEnd(page, replay.durationS);
    expect(await page.getAttribute(PLAYER, 'data-source')).toBe('hls');
    expect(Math.abs((await inPage<number>(page, `${VIDEO}.duration`)) - replay.durationS)).toBeLessThan(0.5);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('the ended room\'s watch page links to its replays (看回放), the front page to the library (视频)', async () => {
    const { page } = await zh.newPage();
    await page.goto(`${s.url}/watch/${roomId}`);
    await page.waitForSelector('#replays-link:not([hidden])', { timeout: 15_000 });
    expect(await visibleText(page, '#replays-link')).toBe('看回放');
    await page.click('#replays-link');
    await page.waitForURL(`${s.url}/videos?room=${roomId}`);
    await page.waitForSelector('#videos[data-state="ready"]');
    expect(await page.locator('#list li').count()).toBe(1);

    await page.goto(`${s.url}/`);
    await page.waitForSelector('#link-videos');
    expect(await visibleText(page, '#link-videos')).toBe('视频');
    await page.click('#link-videos');
    await page.waitForURL(`${s.url}/videos`);
    await page.waitForSelector('#videos[data-state="ready"]');
    expect(await page.locator('#list li').count()).toBe(3);
    await page.close();
  });
});

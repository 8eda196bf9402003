// The admin console's charts in Chromium with live ffmpeg publishers: uPlot (bundled, no CDN) draws the server's
// and the picked stream's last 30 minutes, in English and Chinese, at phone and desktop sizes.
import type { Page } from 'playwright-core';
import type { PlayResponse } from '../../typings/api';
import { DESKTOP, launchBrowser, PHONE, type TestBrowser } from '../helpers/browser';
import { killAll, type ChildHandle } from '../helpers/ffmpeg';
import { call } from '../helpers/http';
import { publishLive } from '../helpers/live';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { createRoom, inPage, screenshot, visibleText, waitInPage } from './fixtures';

jest.setTimeout(120000);

let s: TestServer;
let browser: TestBrowser;
let zh: TestBrowser;
let big: { id: string; pub: ChildHandle };
let small: { id: string; pub: ChildHandle };
const viewers: AbortController[] = [];

beforeAll(async () => {
  [s, browser, zh] = await Promise.all([startTestServer(), launchBrowser({ locale: 'en-US' }), launchBrowser({ locale: 'zh-CN' })]);
  const a = await createRoom(s, 'Charted big');
  big = { id: a.room.id, pub: await publishLive(s.url, a.room.id, a.push.url, { size: '320x180', fps: 25, gop: 25, durationS: 110 }, 15000) };
  const b = await createRoom(s, 'Charted small');
  small = { id: b.room.id, pub: await publishLive(s.url, b.room.id, b.push.url, { size: '160x120', fps: 15, gop: 15, durationS: 110 }, 15000) };
  // one HTTP-FLV viewer of the big room, read in the background, so its viewers chart has someone in it
  const play = await call<PlayResponse>(s.url, 'GET', `/api/rooms/${big.id}/play`);
  const abort = new AbortController();
  viewers.push(abort);
  void fetch(play.body.play.flv, { signal: abort.signal }).then(async (res) => {
    const reader = res.body!.getReader();
    while (!(await reader.read()).done) { /* drain */ }
  }).catch(() => {});
}, 90000);
afterAll(async () => {
  for (const v of viewers) v.abort();
  await killAll();
  await Promise.all([browser?.close(), zh?.close()]);
  await s?.stop(true);
});

async function signIn(page: Page): Promise<void> {
  await page.goto(`${s.url}/admin`);
  await page.fill('#token', s.config.secrets.adminToken);
  await page.click('#sign-in');
  await page.waitForSelector('#console:not([hidden])');
}

const chart = (key: string, section = '#charts') => `${section} figure[data-chart="${key}"]`;
const points = (key: string, section?: string) => `Number(document.querySelector('${chart(key, section)}').dataset.points)`;

/** Pixels of the chart's canvas in a series colour (uPlot draws the lines there; empty charts have none). */
function strokePixels(page: Page, key: string, rgb: [number, number, number]): Promise<number> {
  return inPage<number>(page, `(() => {
    const c = document.querySelector('${chart(key)} canvas');
    if (!c) return 0;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - ${rgb[0]}) < 24 && Math.abs(d[i + 1] - ${rgb[1]}) < 24 && Math.abs(d[i + 2] - ${rgb[2]}) < 24 && d[i + 3] > 200) n++;
    return n;
  })()`);
}
const GREEN: [number, number, number] = [0x07, 0xc1, 0x60];
const BLUE: [number, number, number] = [0x4c, 0x9a, 0xff];

test('server and stream charts draw their points; "Charts" in the rooms table picks the stream; nothing comes from outside', async () => {
  const { page, errors } = await browser.newPage(DESKTOP);
  const requested: string[] = [];
  const consoleErrors: string[] = [];
  page.on('request', (r) => requested.push(r.url()));
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  await signIn(page);

  // the server charts, and the first live room listed (the newest: small) charted until another is picked
  await page.waitForSelector(`#stream-charts[data-room="${small.id}"]:not([hidden])`);
  await page.waitForSelector(`#rooms-body tr[data-id="${small.id}"][data-charted="true"]`);
  expect(await visibleText(page, '#charts-pick')).toBeNull();
  expect(await inPage(page, `[...document.querySelectorAll('#server-charts-grid figcaption')].map((f) => f.textContent)`))
    .toEqual(['CPU (% of one core)', 'Memory (RSS)', 'Data out', 'Open connections', 'Slow viewers dropped']);
  expect(await inPage(page, `[...document.querySelectorAll('#stream-charts-grid figcaption')].map((f) => f.textContent)`))
    .toEqual(['Bitrate in', 'Frame rate', 'Viewers by protocol']);

  // "Charts" on the big room's row
  await page.click(`#rooms-body tr[data-id="${big.id}"] button.charts-button`);
  await page.waitForSelector(`#stream-charts[data-room="${big.id}"]`);
  expect(await page.getAttribute(`#rooms-body tr[data-id="${big.id}"] button.charts-button`, 'aria-pressed')).toBe('true');
  expect(await page.getAttribute(`#rooms-body tr[data-id="${small.id}"]`, 'data-charted')).toBeNull();
  expect(await visibleText(page, '#stream-charts-title')).toBe(`Stream “Charted big” (${big.id}) · last 30 minutes`);

  // points arrive every 2 s and the console refreshes every 3 s
  for (const key of ['cpu', 'rss', 'bytes-out', 'connections', 'dropped', 'bitrate-in', 'fps', 'viewers']) {
    await waitInPage(page, `${points(key)} >= 4`, 30000);
  }
  expect(await strokePixels(page, 'rss', BLUE)).toBeGreaterThan(50);
  expect(await strokePixels(page, 'bitrate-in', GREEN)).toBeGreaterThan(50);
  expect(await strokePixels(page, 'viewers', GREEN)).toBeGreaterThan(50); // the FLV viewer
  // the API behind it says the same
  const h = await call(s.url, 'GET', `/api/admin/stats/history?roomId=${big.id}`, { token: s.config.secrets.adminToken });
  expect(h.body.streams[0].viewers.flv.at(-1)).toBeGreaterThanOrEqual(1);
  expect(h.body.streams[0].fps.at(-1)).toBeGreaterThan(20);

  for (const [name, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
    await page.setViewportSize(viewport);
    await page.waitForTimeout(400); // ResizeObserver → uPlot setSize
    const width = await inPage<number>(page, `document.querySelector('${chart('cpu')} canvas').getBoundingClientRect().width`);
    expect(width).toBeLessThanOrEqual(viewport.width);
    expect(width).toBeGreaterThan(viewport.width / 4);
    await page.locator('#server-charts-title').scrollIntoViewIfNeeded();
    await page.evaluate("document.getElementById('server-charts-title').scrollIntoView()");
    const shot = await screenshot(page, `admin-charts-server-${name}-${viewport.width}x${viewport.height}`);
    expect(shot.colours).toBeGreaterThan(50);
    expect(shot.foreground).toBeGreaterThan(0.1);
    await page.evaluate("document.getElementById('stream-charts').scrollIntoView()");
    const streamShot = await screenshot(page, `admin-charts-stream-${name}-${viewport.width}x${viewport.height}`);
    expect(streamShot.colours).toBeGreaterThan(50);
  }

  const foreign = requested.filter((u) => !u.startsWith(`${s.url}/`) && !/^(data|blob):/.test(u));
  expect(foreign).toEqual([]);
  expect(requested.some((u) => u.includes('/api/admin/stats/history'))).toBe(true);
  expect(consoleErrors).toEqual([]); // no CSP refusal: uPlot styles through the CSSOM only
  expect(errors).toEqual([]);
  await page.close();
});

test('the charts speak Chinese in a Chinese browser', async () => {
  const { page, errors } = await zh.newPage(PHONE);
  await signIn(page);
  await page.waitForSelector('#stream-charts:not([hidden])');
  expect(await visibleText(page, '#server-charts-title')).toBe('服务器 · 最近 30 分钟');
  expect(await inPage(page, `[...document.querySelectorAll('#charts figcaption')].map((f) => f.textContent)`))
    .toEqual(['CPU（单核 %）', '内存（RSS）', '出口流量', '连接数', '断开的慢速观众', '入口码率', '帧率', '各协议观众']);
  expect(await visibleText(page, `#rooms-body tr[data-id="${big.id}"] button.charts-button`)).toBe('图表');
  await waitInPage(page, `${points('fps')} >= 2`, 20000);
  await page.evaluate("document.getElementById('charts').scrollIntoView()");
  const shot = await screenshot(page, 'admin-charts-zh-phone-390x844');
  expect(shot.colours).toBeGreaterThan(50);
  expect(errors).toEqual([]);
  await page.close();
});

// The admin console's videos section in Chromium against a real server, in Chinese (the default language): an
// ffmpeg-made MP4 uploaded through the form with its progress bar, then renamed, hidden, published and deleted; the
// server's refusals (422, 415, 413, 409; 507 in admin-videos-disk-full) shown by code in Chinese; a bad name refused before any upload; Cancel.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import type { Video, VideoListResponse, VideoResponse } from '../../typings/vod';
import { DESKTOP, launchBrowser, PHONE, type TestBrowser } from '../helpers/browser';
import { call } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { fixture } from '../vod/media-fixtures';
import { inPage, screenshot, visibleText, waitInPage } from './fixtures';

const run = promisify(execFile);
let s: TestServer;
let browser: TestBrowser;
let dir: string;
let clip: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wxlive-admin-videos-'));
  clip = join(dir, 'clip.mp4');
  // lossless, so it is a couple of MB: a throttled upload then takes long enough to show intermediate progress
  const make = run('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25', '-f', 'lavfi',
    '-i', 'sine=frequency=440:sample_rate=44100', '-t', '4', '-c:v', 'libx264', '-preset', 'ultrafast', '-qp', '0',
    '-pix_fmt', 'yuv420p', '-g', '25', '-c:a', 'aac', '-ac', '2', clip]);
  [s, browser] = await Promise.all([
    startTestServer({ VOD_MAX_MB: '3', VOD_UPLOADS_PER_MIN: '1000' }),
    launchBrowser({ locale: 'zh-CN' }),
    make,
  ]);
}, 60000);
afterAll(async () => {
  await browser?.close();
  await s?.stop(true);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const admin = () => s.config.secrets.adminToken;
const row = (id: string) => `#videos-body tr[data-id="${id}"]`;

async function signedIn(): Promise<{ page: Page; errors: string[]; puts: string[] }> {
  const { page, errors } = await browser.newPage();
  const puts: string[] = [];
  page.on('request', (r) => { if (r.method() === 'PUT') puts.push(r.url()); });
  await page.goto(`${s.url}/admin`);
  await page.fill('#token', admin());
  await page.click('#sign-in');
  await page.waitForSelector('#videos');
  return { page, errors, puts };
}

/** Chromium's DevTools throttle: the upload then arrives at `bytesPerSecond` */
async function throttleUpload(page: Page, bytesPerSecond: number): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: bytesPerSecond });
}

async function upload(page: Page, file: string, name?: string): Promise<void> {
  await page.setInputFiles('#video-file', file);
  if (name !== undefined) await page.fill('#video-name', name);
  await page.click('#video-upload-start');
}

async function adminList(): Promise<Video[]> {
  return (await call<VideoListResponse>(s.url, 'GET', '/api/admin/videos?limit=100', { token: admin() })).body.videos;
}

async function publicList(): Promise<Video[]> {
  return (await call<VideoListResponse>(s.url, 'GET', '/api/videos?limit=100')).body.videos;
}

/** Records every value the progress bar takes (`value` reflects to the attribute). */
async function watchProgress(page: Page): Promise<void> {
  await inPage(page, `(() => {
    const bar = document.getElementById('video-progress');
    window.__progress = [];
    new MutationObserver(() => window.__progress.push([bar.value, bar.max])).observe(bar, { attributes: true });
  })()`);
}

test('an MP4 uploads with a moving progress bar, shows its facts, and is renamed, hidden, published and deleted', async () => {
  const { page, errors, puts } = await signedIn();
  await throttleUpload(page, 1_000_000); // ~2 s for the clip
  await watchProgress(page);
  await upload(page, clip);
  await page.waitForSelector('#video-upload-status:has-text("clip.mp4 已上传。")', { timeout: 20000 });
  expect(await page.inputValue('#video-name')).toBe(''); // the form is ready for the next file
  expect(puts).toEqual([`${s.url}/api/admin/videos/clip.mp4`]);

  const seen = await inPage<[number, number][]>(page, 'window.__progress');
  const size = statSync(clip).size;
  const values = seen.map(([v]) => v);
  // at least one value between the ends, never going back, and the bar full at the end
  expect(values.some((v) => v > 0 && v < size)).toBe(true);
  expect(values).toEqual([...values].sort((a, b) => a - b));
  expect(await inPage<number[]>(page, "[document.getElementById('video-progress').value, document.getElementById('video-progress').max]"))
    .toEqual([size, size]);

  const [video] = (await adminList()).filter((v) => v.name === 'clip.mp4');
  expect(video).toBeDefined();
  const r = row(video!.id);
  await page.waitForSelector(r);
  expect(await visibleText(page, `${r} .video-title`)).toBe('clip');
  expect(await visibleText(page, `${r} .video-name`)).toBe('clip.mp4');
  const cells = await page.locator(`${r} .num`).allTextContents();
  expect(cells).toEqual(['0:04', 'H.264 + AAC', '640×360', `${(size / 1048576).toFixed(1)} MB`]);
  expect(await visibleText(page, `${r} .pill`)).toBe('公开');

  // rename inline: Enter saves, the server has the new title
  await page.click(`${r} .video-rename-button`);
  await page.fill(`${r} .video-title-input`, '测试片段 Clip');
  await page.press(`${r} .video-title-input`, 'Enter');
  await page.waitForSelector(`${r} .video-title:has-text("测试片段 Clip")`);
  expect(await page.isVisible(`${r} .video-title-input`)).toBe(false);
  const got = await call<VideoResponse>(s.url, 'GET', `/api/videos/${video!.id}`, { token: admin() });
  expect(got.body.video.title).toBe('测试片段 Clip');

  // hide: the public list drops it; publish: it is back
  expect((await publicList()).map((v) => v.id)).toContain(video!.id);
  await page.click(`${r} .video-toggle`);
  await page.waitForSelector(`${r}[data-public="false"]`);
  expect(await visibleText(page, `${r} .pill`)).toBe('已隐藏');
  expect((await publicList()).map((v) => v.id)).not.toContain(video!.id);
  expect(await visibleText(page, `${r} .video-toggle`)).toBe('公开');
  await page.click(`${r} .video-toggle`);
  await page.waitForSelector(`${r}[data-public="true"]`);
  expect((await publicList()).map((v) => v.id)).toContain(video!.id);

  // delete asks first: dismissing keeps it, accepting removes it from the library and the table
  const asked: string[] = [];
  page.once('dialog', (d) => { asked.push(d.message()); void d.dismiss(); });
  await page.click(`${r} .video-delete`);
  await page.waitForTimeout(300);
  expect(asked).toEqual(['删除“测试片段 Clip”（clip.mp4）？文件将从服务器上删除，此操作无法撤销。']);
  expect((await adminList()).map((v) => v.id)).toContain(video!.id);
  page.once('dialog', (d) => { asked.push(d.message()); void d.accept(); });
  await page.click(`${r} .video-delete`);
  await page.waitForSelector(r, { state: 'detached' });
  expect((await adminList()).map((v) => v.id)).not.toContain(video!.id);
  await page.waitForSelector('#videos-empty:not([hidden])');
  expect(errors).toEqual([]);
  await page.close();
}, 60000);

test('a text file named .mp4 gets the 422 message in Chinese and is not listed', async () => {
  const bad = join(dir, 'notes.mp4');
  writeFileSync(bad, 'this is not a video, only some text\n'.repeat(50));
  const { page, errors } = await signedIn();
  await upload(page, bad);
  await page.waitForSelector('#video-upload-error:not([hidden])', { timeout: 15000 });
  expect(await visibleText(page, '#video-upload-error'))
    .toBe('notes.mp4 上传失败：这不是可播放的视频：文件已损坏、不完整，或不是 MP4/FLV。');
  expect(await page.isVisible('#video-progress')).toBe(false);
  expect((await adminList()).map((v) => v.name)).not.toContain('notes.mp4');
  expect(errors).toEqual([]);
  await page.close();
});

test('a bad name is refused before any byte is sent; a fixed name then uploads', async () => {
  const { page, errors, puts } = await signedIn();
  await page.setInputFiles('#video-file', { name: '我的 视频.mp4', mimeType: 'video/mp4', buffer: Buffer.from('x') });
  const message = '文件名只能包含字母、数字、“-”、“_”和“.”（不能以“.”开头），最多 100 个字符，并以 .mp4 或 .flv 结尾：请先修改“我的 视频.mp4”再上传。';
  await page.waitForSelector('#video-upload-error:not([hidden])');
  expect(await visibleText(page, '#video-upload-error')).toBe(message);
  expect(await page.isDisabled('#video-upload-start')).toBe(true);
  // Enter in the name field submits the form too: still nothing goes out
  await page.press('#video-name', 'Enter');
  await page.fill('#video-name', '../clip.mp4');
  expect(await page.isDisabled('#video-upload-start')).toBe(true);
  await page.press('#video-name', 'Enter');
  await page.waitForTimeout(300);
  expect(puts).toEqual([]);

  await page.setInputFiles('#video-file', clip);
  await page.fill('#video-name', 'renamed-clip.mp4');
  expect(await page.isVisible('#video-upload-error')).toBe(false);
  await page.click('#video-upload-start');
  await page.waitForSelector('#video-upload-status:has-text("renamed-clip.mp4 已上传。")', { timeout: 20000 });
  expect(puts).toEqual([`${s.url}/api/admin/videos/renamed-clip.mp4`]);
  expect((await adminList()).map((v) => v.name)).toContain('renamed-clip.mp4');
  expect(errors).toEqual([]);
  await page.close();
}, 40000);

test('an MPEG-4 Part 2 + MP3 file gets the 415 message naming both codecs', async () => {
  const mpeg4 = await fixture(dir, 'mpeg4.mp4');
  const { page } = await signedIn();
  await upload(page, mpeg4);
  await page.waitForSelector('#video-upload-error:not([hidden])', { timeout: 15000 });
  expect(await visibleText(page, '#video-upload-error'))
    .toBe('mpeg4.mp4 上传失败：不支持的编码：MPEG-4 Part 2 (mp4v), MP3 (mp4a.6b)。只能播放 H.264 视频和 AAC 音频。');
  await page.close();
}, 30000);

test('a file over VOD_MAX_MB gets the 413 message with the cap', async () => {
  const big = join(dir, 'big.mp4');
  writeFileSync(big, Buffer.alloc(3.5 * 1048576, 7));
  const { page } = await signedIn();
  await upload(page, big);
  await page.waitForSelector('#video-upload-error:not([hidden])', { timeout: 15000 });
  expect(await visibleText(page, '#video-upload-error')).toBe('big.mp4 上传失败：文件太大：此服务器最多接受 3 MB 的视频。');
  expect((await adminList()).map((v) => v.name)).not.toContain('big.mp4');
  await page.close();
}, 30000);

test('the same name from two tabs at once: the second gets 409; Cancel stops the first and nothing stays', async () => {
  const a = await signedIn();
  const b = await signedIn();
  await throttleUpload(a.page, 200_000); // ~10 s: long enough to be caught in flight
  await upload(a.page, clip, 'twice.mp4');
  await a.page.waitForSelector('#video-upload-cancel:not([hidden])');
  await waitInPage(a.page, "document.getElementById('video-progress').value > 0");
  await upload(b.page, clip, 'twice.mp4');
  await b.page.waitForSelector('#video-upload-error:not([hidden])', { timeout: 15000 });
  expect(await visibleText(b.page, '#video-upload-error')).toBe('twice.mp4 上传失败：“twice.mp4”正在上传中，请等那次上传结束。');

  await a.page.click('#video-upload-cancel');
  await a.page.waitForSelector('#video-upload-status:has-text("已取消上传 twice.mp4。")');
  expect(await a.page.isVisible('#video-progress')).toBe(false);
  expect(await a.page.isEnabled('#video-file')).toBe(true);
  // the server drops the part file once it sees the abort
  const parts = join(s.dataDir, 'vod', '.uploads');
  for (let i = 0; i < 50 && readdirSync(parts).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
  expect(readdirSync(parts)).toEqual([]);
  expect((await adminList()).map((v) => v.name)).not.toContain('twice.mp4');
  await a.page.close();
  await b.page.close();
}, 40000);

test('renders at phone and desktop sizes without sideways scrolling', async () => {
  for (const [name, viewport] of [['phone', PHONE], ['desktop', DESKTOP]] as const) {
    const { page, errors } = await browser.newPage(viewport);
    await page.goto(`${s.url}/admin`);
    await page.fill('#token', admin());
    await page.click('#sign-in');
    await page.waitForSelector('#videos-body tr');
    await page.locator('#videos').scrollIntoViewIfNeeded();
    const shot = await screenshot(page, `admin-videos-${name}-${viewport.width}x${viewport.height}`);
    expect(shot.foreground).toBeGreaterThan(0.02);
    expect(await inPage<number>(page, 'document.documentElement.scrollWidth')).toBeLessThanOrEqual(viewport.width);
    expect(errors).toEqual([]);
    await page.close();
  }
});

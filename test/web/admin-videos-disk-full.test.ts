// The admin console's upload on a server short of disk space (below DISK_MIN_FREE_MB): the 507 shown in Chinese, by
// its code, and nothing listed. (Its own file: one server per process, and this one refuses every upload.)
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VideoListResponse } from '../../typings/vod';
import { launchBrowser, type TestBrowser } from '../helpers/browser';
import { call } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { fixture } from '../vod/media-fixtures';
import { visibleText } from './fixtures';

let s: TestServer;
let browser: TestBrowser;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wxlive-admin-disk-'));
  // a petabyte free is never there: every upload is below the watermark
  [s, browser] = await Promise.all([startTestServer({ DISK_MIN_FREE_MB: String(1024 ** 3) }), launchBrowser({ locale: 'zh-CN' })]);
}, 60000);
afterAll(async () => {
  await browser?.close();
  await s?.stop(true);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('an upload to a server short of disk space gets the 507 message and leaves nothing', async () => {
  const clip = await fixture(dir, 'good.mp4');
  const { page, errors } = await browser.newPage();
  await page.goto(`${s.url}/admin`);
  await page.fill('#token', s.config.secrets.adminToken);
  await page.click('#sign-in');
  await page.waitForSelector('#videos-empty:not([hidden])');
  await page.setInputFiles('#video-file', clip);
  await page.click('#video-upload-start');
  await page.waitForSelector('#video-upload-error:not([hidden])', { timeout: 15000 });
  expect(await visibleText(page, '#video-upload-error')).toBe('good.mp4 上传失败：服务器磁盘空间不足，上传的文件没有保存。');
  expect(await page.isVisible('#video-progress')).toBe(false);
  const list = await call<VideoListResponse>(s.url, 'GET', '/api/admin/videos', { token: s.config.secrets.adminToken });
  expect(list.body.videos).toEqual([]);
  expect(readdirSync(join(s.dataDir, 'vod')).filter((f) => f !== '.uploads')).toEqual([]);
  expect(errors).toEqual([]);
  await page.close();
}, 30000);

// Both pages in a Chinese browser (navigator.language zh-CN): <html lang>, the main states and the console in
// Chinese, and no English left on screen. (The behaviour tests run in en-US and read the English texts.)
import type { Page } from 'playwright-core';
import { launchBrowser, PHONE, type TestBrowser } from '../helpers/browser';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { createRoom, endRoom, inPage, screenshot, visibleText } from './fixtures';

let s: TestServer;
let zh: TestBrowser;
let en: TestBrowser;
beforeAll(async () => {
  [s, zh, en] = await Promise.all([startTestServer(), launchBrowser({ locale: 'zh-CN' }), launchBrowser({ locale: 'en-GB' })]);
}, 60000);
afterAll(async () => {
  await Promise.all([zh?.close(), en?.close()]);
  await s?.stop(true);
});

/** Latin words on screen that are not names (the brand, ids, titles, units, config names). */
async function englishOnScreen(page: Page, allowed: string[]): Promise<string[]> {
  // room ids (12 letters and digits) are names too
  const text = (await inPage<string>(page, 'document.body.innerText')).replace(/\b[0-9A-Za-z]{12}\b/g, '');
  // technical names the Chinese console shows as they are (protocols, codecs, units, the charts' series, the video folder)
  const ok = new Set(['wxlive', 'kbps', 'Mbps', 'bps', 'FLV', 'HLS', 'RTMP', 'HTTP', 'CPU', 'RSS', 'FPS', 'KB', 'MB', 'GB', 'KB/s', 'MB/s', 'GB/s',
    'AAC', 'DATA_DIR/vod', ...allowed]);
  return (text.match(/[A-Za-z][A-Za-z_/-]{2,}/g) ?? []).filter((w) => !ok.has(w) && !allowed.some((a) => a.includes(w)));
}

test('the watch page speaks Chinese: waiting, ended, not found; <html lang="zh-CN">', async () => {
  const { room } = await createRoom(s, '早间新闻');
  const { page, errors } = await zh.newPage(PHONE);
  await page.goto(`${s.url}/watch/${room.id}`);
  await page.waitForSelector('#watch[data-state="idle"]');
  expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
  expect(await visibleText(page, '#message')).toBe('等待主播开播');
  expect(await visibleText(page, '#hint')).toBe('主播开播后，直播会在这里自动开始。');
  expect(await visibleText(page, '#meta')).toBe('尚未开播');
  // texts shown later are filled from the table at start too
  expect(await inPage(page, "document.getElementById('live-badge').textContent")).toBe('直播中');
  expect(await inPage(page, "document.getElementById('unmute').textContent")).toBe('点击开启声音');
  expect(await page.getAttribute('#tap-to-play', 'aria-label')).toBe('播放');
  expect(await englishOnScreen(page, [])).toEqual([]);

  await endRoom(s, room.id);
  await page.waitForSelector('#watch[data-state="ended"]', { timeout: 5000 });
  expect([await visibleText(page, '#message'), await visibleText(page, '#hint')]).toEqual(['直播已结束', '这场直播没有回放。']);
  expect(await visibleText(page, '#meta')).toMatch(/^结束于 \d{4}\/\d{1,2}\/\d{1,2} \d\d:\d\d:\d\d$/);

  await page.goto(`${s.url}/watch/AAAAAAAAAAAA`);
  await page.waitForSelector('#watch[data-state="missing"]');
  expect([await visibleText(page, '#message'), await visibleText(page, '#hint')]).toEqual(['直播间不存在', '请检查链接：没有这个直播间。']);
  expect(errors).toEqual([]);
  await page.close();
});

test('the admin console speaks Chinese: sign-in, a refused token, totals, rows, paging', async () => {
  const { room } = await createRoom(s, '待开播的直播间');
  const { page, errors } = await zh.newPage();
  await page.goto(`${s.url}/admin`);
  await page.waitForSelector('#login-form');
  expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
  expect(await page.title()).toBe('wxlive 管理后台');
  expect([await visibleText(page, 'label[for="token"]'), await visibleText(page, '#sign-in')]).toEqual(['管理员令牌', '登录']);
  expect(await visibleText(page, '#token-hint')).toBe('令牌保存在 DATA_DIR/admin-token 中，设置了 ADMIN_TOKEN 时即为其值。令牌只保存在当前标签页。');
  expect(await page.locator('#token-hint code').allTextContents()).toEqual(['DATA_DIR/admin-token', 'ADMIN_TOKEN']);

  await page.fill('#token', 'definitely-not-the-admin-token');
  await page.click('#sign-in');
  await page.waitForSelector('#login-error:not([hidden])');
  expect(await visibleText(page, '#login-error')).toBe('这不是管理员令牌。');

  await page.fill('#token', s.config.secrets.adminToken);
  await page.click('#sign-in');
  const row = `#rooms-body tr[data-id="${room.id}"]`;
  await page.waitForSelector(row);
  expect(await visibleText(page, `${row} .pill`)).toBe('未开播');
  expect(await visibleText(page, `${row} td[data-label="时长"]`)).toMatch(/^\d+秒前创建$/);
  expect([await visibleText(page, `${row} .watch-link`), await visibleText(page, `${row} button.end`)]).toEqual(['观看', '结束']);
  expect(await visibleText(page, '#page-label')).toBe('第 1 页');
  expect(await visibleText(page, '[data-total="uptime"]')).toMatch(/^\d+秒$|^\d+分\d\d秒$/);
  expect(await visibleText(page, '#updated')).toMatch(/^更新于 \d\d:\d\d:\d\d$/);
  expect(await page.locator('#totals dt').allTextContents()).toEqual(
    ['直播中', '未开播', '已结束', '推流数', '观众', '入口码率', '出口码率', '流量 入 / 出', '运行时长']);
  expect(await page.locator('#status-filter option').allTextContents()).toEqual(['全部', '直播中', '未开播', '已结束']);
  expect(await englishOnScreen(page, [])).toEqual([]);
  const shot = await screenshot(page, 'admin-zh-CN-desktop-1280x800');
  expect(shot.colours).toBeGreaterThan(50);

  const dialogs: string[] = [];
  page.once('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
  await page.click(`${row} button.end`);
  expect(dialogs).toEqual(['结束直播间“待开播的直播间”？此操作无法撤销。']);
  expect(errors).toEqual([]);
  await page.close();
});

test('any other language gets English, with <html lang="en">', async () => {
  const { room } = await createRoom(s, 'Evening news');
  const { page } = await en.newPage();
  await page.goto(`${s.url}/watch/${room.id}`);
  await page.waitForSelector('#watch[data-state="idle"]');
  expect(await page.getAttribute('html', 'lang')).toBe('en');
  expect(await visibleText(page, '#message')).toBe('Waiting for host');
  await page.goto(`${s.url}/admin`);
  await page.waitForSelector('#login-form');
  expect([await page.getAttribute('html', 'lang'), await visibleText(page, '#sign-in'), await page.title()]).toEqual(['en', 'Sign in', 'wxlive admin']);
  await page.close();
});

// The videos page on a server with no videos (its own process: one server per jest worker): the empty library,
// a room without replays, an unknown room, each said in Chinese, with the way back to the library.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MESSAGES } from '../../web/shared/messages';
import { launchBrowser, type TestBrowser } from '../helpers/browser';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { createRoom, visibleText } from './fixtures';

jest.setTimeout(60_000);

let s: TestServer;
let zh: TestBrowser;
beforeAll(async () => {
  [s, zh] = await Promise.all([startTestServer(), launchBrowser({ locale: 'zh-CN' })]);
}, 60_000);
afterAll(async () => {
  await zh?.close();
  await s?.stop(true);
});

test('the template names only keys of the message table and shows no text of its own (as messages.test.ts checks the others)', () => {
  const html = readFileSync(join(__dirname, '..', '..', 'web', 'videos', 'videos.html'), 'utf8');
  const named = [...html.matchAll(/data-i18n(?:-[a-z-]+)?="([^"]+)"/g)].map((m) => m[1]!);
  expect(named.length).toBeGreaterThan(3);
  expect(named.filter((key) => !(key in MESSAGES.en))).toEqual([]);
  expect(html).toMatch(/<html lang="zh-CN">/);
  const visible = html.replace(/<noscript>[\s\S]*?<\/noscript>/g, '').replace(/<(title|script|style)[^>]*>[\s\S]*?<\/\1>/g, '')
    .replace(/<!--[\s\S]*?-->/g, '').replace(/<[^>]+>/g, ' ').split(/\s+/).filter((w) => w && w !== 'wxlive');
  expect(visible).toEqual([]);
  expect(html.match(/\s(aria-label|title|placeholder)="[^"]+"/g)).toBeNull();
});

test('an empty library, a room without replays and an unknown room each say so', async () => {
  const { page, errors } = await zh.newPage();
  await page.goto(`${s.url}/videos`);
  await page.waitForSelector('#videos[data-state="empty"]');
  expect(await visibleText(page, '#empty')).toBe('还没有视频。');
  expect([await visibleText(page, '#more'), await visibleText(page, '#status'), await visibleText(page, '#error')]).toEqual([null, null, null]);
  expect(await page.locator('#list li').count()).toBe(0);

  const { room } = await createRoom(s, '空的直播间');
  await page.goto(`${s.url}/videos?room=${room.id}`);
  await page.waitForSelector('#videos[data-state="empty"]');
  expect([await visibleText(page, '#heading'), await visibleText(page, '#empty')]).toEqual(['“空的直播间”的回放', '这个直播间还没有回放。']);
  expect([await visibleText(page, '#link-all'), await page.getAttribute('#link-all', 'href')]).toEqual(['全部视频', '/videos']);

  await page.goto(`${s.url}/videos?room=AAAAAAAAAAAA`);
  await page.waitForSelector('#videos[data-state="missing"]');
  expect(await visibleText(page, '#empty')).toBe('直播间不存在。');
  expect(errors).toEqual([]);
  await page.close();
});

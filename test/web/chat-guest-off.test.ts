// GUEST_CHAT=off in Chromium: the watch page's chat stays readable, and a visitor who picks a nickname is told
// (403 guest_chat_off) that this server lets only signed-in users chat; nothing is sent.
import { launchBrowser, type TestBrowser } from '../helpers/browser';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { foreign, openWatch, say } from './chat-fixtures';
import { createRoom, screenshot, visibleText } from './fixtures';

jest.setTimeout(60000);

let s: TestServer;
let browser: TestBrowser;
beforeAll(async () => {
  [s, browser] = await Promise.all([startTestServer({ GUEST_CHAT: 'off' }), launchBrowser({ locale: 'en-US' })]);
}, 60000);
afterAll(async () => {
  await browser?.close();
  await s?.stop(true);
});

test('with guest chat off the panel is read-only and says why', async () => {
  const { room } = await createRoom(s, 'Members only');
  const w = await openWatch(browser, s.url, room.id);
  await say(w.page, 'may I?');
  await w.page.fill('#nickname', 'Carol');
  await w.page.click('#nickname-form button[type="submit"]');
  await w.page.waitForSelector('#chat[data-chat="readonly"]');
  expect(await visibleText(w.page, '#chat-status')).toMatch(/^Chat is read-only here: this server does not let guests chat/);
  expect(await w.page.isVisible('#say-form')).toBe(false);
  expect(await w.page.isVisible('#nickname-form')).toBe(false);
  expect(w.sent.filter((f) => f.includes('"say"'))).toEqual([]);
  await screenshot(w.page, 'watch-chat-guest-off-phone-390x844');
  expect(foreign(w.requested, s.url)).toEqual([]);
  expect(w.errors).toEqual([]);
  await w.page.close();
});

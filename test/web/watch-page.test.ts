// The watch page in Chromium against a real server, for rooms without media: idle, ended, unknown; screenshots.
import { DESKTOP, launchBrowser, PHONE, type TestBrowser } from '../helpers/browser';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { createRoom, endRoom, inPage, screenshot, COVER_URL, serveCover, visibleText, waitInPage } from './fixtures';

let s: TestServer;
let browser: TestBrowser;
beforeAll(async () => {
  // these tests are about behaviour and read the English texts; pages-zh.test.ts checks the Chinese ones
  [s, browser] = await Promise.all([startTestServer(), launchBrowser({ locale: 'en-US' })]);
}, 60000);
afterAll(async () => {
  await browser?.close();
  await s?.stop(true);
});

test('an idle room says it is waiting for the host, without a live badge', async () => {
  const { room } = await createRoom(s, 'Morning show');
  const { page, errors } = await browser.newPage(PHONE);
  await page.goto(`${s.url}/watch/${room.id}`);
  await page.waitForSelector('#watch[data-state="idle"]');
  expect(await visibleText(page, '#message')).toBe('Waiting for host');
  expect(await visibleText(page, '#title')).toBe('Morning show');
  expect(await page.title()).toBe('Morning show · wxlive');
  expect(await visibleText(page, '#live-badge')).toBeNull();
  expect(await visibleText(page, '#viewers')).toBeNull();
  // autoplay is only allowed muted: the element starts muted, as the page must not rely on the test's flag
  expect(await inPage<boolean>(page, "document.getElementById('video').muted")).toBe(true);
  expect(errors).toEqual([]);
  await page.close();
});

test('the cover image stands in for the picture until there is one', async () => {
  const { room } = await createRoom(s, 'With a cover', COVER_URL);
  const { page, errors } = await browser.newPage();
  try {
    await serveCover(page);
    await page.goto(`${s.url}/watch/${room.id}`);
    await page.waitForSelector('#watch[data-state="idle"]');
    await waitInPage(page, "document.getElementById('cover').naturalWidth === 64");
    expect(await page.isVisible('#cover')).toBe(true);
    expect(await page.getAttribute('#video', 'poster')).toBe(COVER_URL);
    expect(await visibleText(page, '#meta')).toBe('Not started yet');
    expect(errors).toEqual([]);
  } finally {
    await page.close();
  }
});

test('a room that ends while the page is open switches to "broadcast ended" by itself', async () => {
  const { room } = await createRoom(s, 'Short lived');
  const { page, errors } = await browser.newPage();
  await page.goto(`${s.url}/watch/${room.id}`);
  await page.waitForSelector('#watch[data-state="idle"]');
  await endRoom(s, room.id);
  await page.waitForSelector('#watch[data-state="ended"]', { timeout: 5000 });
  expect(await visibleText(page, '#message')).toBe('Broadcast ended');
  // it never went live, so there is no recording
  expect(await visibleText(page, '#hint')).toBe('No replay is available for this broadcast.');
  expect(await visibleText(page, '#replay-badge')).toBeNull();
  expect(errors).toEqual([]);
  await page.close();
});

test('an ended room opened later shows "broadcast ended"', async () => {
  const { room } = await createRoom(s, 'Yesterday');
  await endRoom(s, room.id);
  const { page } = await browser.newPage();
  await page.goto(`${s.url}/watch/${room.id}`);
  await page.waitForSelector('#watch[data-state="ended"]');
  expect(await visibleText(page, '#message')).toBe('Broadcast ended');
  await page.close();
});

test('an unknown room says so', async () => {
  const { page } = await browser.newPage();
  await page.goto(`${s.url}/watch/AAAAAAAAAAAA`);
  await page.waitForSelector('#watch[data-state="missing"]');
  expect(await visibleText(page, '#message')).toBe('Room not found');
  await page.close();
});

test('renders at phone and desktop sizes', async () => {
  const { room } = await createRoom(s, 'Screenshot room');
  for (const [name, viewport] of [['phone', PHONE], ['desktop', DESKTOP]] as const) {
    const { page, errors } = await browser.newPage(viewport);
    await page.goto(`${s.url}/watch/${room.id}`);
    await page.waitForSelector('#watch[data-state="idle"]');
    const shot = await screenshot(page, `watch-idle-${name}-${viewport.width}x${viewport.height}`);
    expect([shot.width, shot.height]).toEqual([viewport.width, viewport.height]);
    expect(shot.colours).toBeGreaterThan(50);
    expect(shot.foreground).toBeGreaterThan(0.05);
    // the 16:9 stage spans the phone's width and fits a desktop window
    const stage = await page.locator('.stage').boundingBox();
    if (name === 'phone') expect(stage!.width).toBe(viewport.width);
    expect(stage!.height).toBeLessThan(viewport.height);
    expect(await inPage<number>(page, 'document.documentElement.scrollWidth')).toBeLessThanOrEqual(viewport.width);
    expect(errors).toEqual([]);
    await page.close();
  }
});

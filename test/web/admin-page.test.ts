// The admin console in Chromium against a real server: sign-in, listing, filter, paging, End, refresh, screenshots.
import type { Page } from 'playwright-core';
import { DESKTOP, launchBrowser, PHONE, type TestBrowser } from '../helpers/browser';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { createRoom, endRoom, inPage, roomStatus, screenshot, visibleText, waitInPage } from './fixtures';

let s: TestServer;
let browser: TestBrowser;
let idleId: string;
beforeAll(async () => {
  // these tests are about behaviour and read the English texts; pages-zh.test.ts checks the Chinese ones
  [s, browser] = await Promise.all([startTestServer(), launchBrowser({ locale: 'en-US' })]);
  idleId = (await createRoom(s, 'Idle lobby')).room.id;
}, 60000);
afterAll(async () => {
  await browser?.close();
  await s?.stop(true);
});

async function signIn(page: Page, token = s.config.secrets.adminToken): Promise<void> {
  await page.goto(`${s.url}/admin`);
  await page.fill('#token', token);
  await page.click('#sign-in');
}

const row = (id: string) => `#rooms-body tr[data-id="${id}"]`;

test('a wrong token shows the server error and is not kept', async () => {
  const { page, errors } = await browser.newPage();
  await signIn(page, 'definitely-not-the-admin-token');
  await page.waitForSelector('#login-error:not([hidden])');
  expect(await visibleText(page, '#login-error')).toBe('That is not the admin token.');
  expect(await page.isVisible('#console')).toBe(false);
  expect(await inPage<number>(page, 'sessionStorage.length')).toBe(0);
  expect(errors).toEqual([]);
  await page.close();
});

test('the right token lists the rooms with totals, and the tab stays signed in on reload', async () => {
  const { page, errors } = await browser.newPage();
  await signIn(page);
  await page.waitForSelector(row(idleId));
  expect(await visibleText(page, `${row(idleId)} .room-title`)).toBe('Idle lobby');
  expect(await visibleText(page, `${row(idleId)} .pill`)).toBe('idle');
  expect(await page.getAttribute(`${row(idleId)} .watch-link`, 'href')).toBe(`/watch/${idleId}`);
  expect(Number(await visibleText(page, '[data-total="idle"]'))).toBeGreaterThanOrEqual(1);
  expect(await visibleText(page, '[data-total="uptime"]')).toMatch(/^\d+s$|^\d+m \d\ds$/);
  // the token lives in sessionStorage: a reload of this tab needs no new sign-in
  expect(await inPage<string[]>(page, 'Object.values(sessionStorage)')).toEqual([s.config.secrets.adminToken]);
  await page.reload();
  await page.waitForSelector(row(idleId));
  expect(await page.isVisible('#login')).toBe(false);
  // signing out forgets it
  await page.click('#sign-out');
  await page.waitForSelector('#login-form');
  expect(await inPage<number>(page, 'sessionStorage.length')).toBe(0);
  expect(errors).toEqual([]);
  await page.close();
});

test('status filter and paging walk the whole list', async () => {
  const made: string[] = [];
  for (let i = 0; i < 22; i++) made.push((await createRoom(s, `Paging room ${i}`)).room.id);
  await endRoom(s, made[3]!);
  const { page } = await browser.newPage();
  await signIn(page);
  await page.waitForSelector(row(made[21]!)); // newest first
  expect(await page.locator('#rooms-body tr').count()).toBe(20);
  expect(await page.isEnabled('#next')).toBe(true);
  expect(await page.isEnabled('#prev')).toBe(false);

  await page.click('#next');
  await page.waitForSelector(row(idleId)); // the oldest room is on page 2
  expect(await visibleText(page, '#page-label')).toBe('Page 2');
  const page2 = await page.locator('#rooms-body tr').count();
  expect(page2).toBe(22 + 1 - 20);
  expect(await page.isEnabled('#next')).toBe(false);
  await page.click('#prev');
  await page.waitForSelector(row(made[21]!));
  expect(await visibleText(page, '#page-label')).toBe('Page 1');

  await page.selectOption('#status-filter', 'ended');
  await waitInPage(page, `(() => {
    const rows = document.querySelectorAll('#rooms-body tr');
    return rows.length === 1 && rows[0].getAttribute('data-id') === ${JSON.stringify(made[3])};
  })()`);
  expect(await visibleText(page, `${row(made[3]!)} .pill`)).toBe('ended');
  expect(await page.isDisabled(`${row(made[3]!)} button.end`)).toBe(true);
  await page.selectOption('#status-filter', 'live');
  await page.waitForSelector('#empty:not([hidden])');
  expect(await page.locator('#rooms-body tr').count()).toBe(0);
  await page.close();
});

test('End asks first; cancelling keeps the room, confirming ends it', async () => {
  const { room } = await createRoom(s, 'To be ended');
  const { page, errors } = await browser.newPage();
  await signIn(page);
  await page.waitForSelector(row(room.id));
  const messages: string[] = [];

  page.once('dialog', (d) => { messages.push(d.message()); void d.dismiss(); });
  await page.click(`${row(room.id)} button.end`);
  await page.waitForTimeout(300);
  expect(messages).toEqual(['End room "To be ended"? This cannot be undone.']);
  expect(await roomStatus(s, room.id)).toBe('idle');

  page.once('dialog', (d) => { messages.push(d.message()); void d.accept(); });
  await page.click(`${row(room.id)} button.end`);
  await page.waitForSelector(`${row(room.id)}[data-status="ended"]`);
  expect(messages).toHaveLength(2);
  expect(await roomStatus(s, room.id)).toBe('ended');
  expect(await page.isDisabled(`${row(room.id)} button.end`)).toBe(true);
  expect(errors).toEqual([]);
  await page.close();
});

test('refreshes on its own, updating rows in place', async () => {
  const { page } = await browser.newPage();
  await signIn(page);
  await page.waitForSelector('#rooms-body tr');
  // tag the current row node: a re-render would replace it and lose the tag
  await inPage(page, "document.querySelector('#rooms-body tr').tag = 42");
  const before = await page.locator('#rooms-body tr').first().getAttribute('data-id');
  const { room } = await createRoom(s, 'Arrived later');
  await page.waitForSelector(row(room.id), { timeout: 8000 });
  // the new room is now first; the tagged node is the same object, moved down one place
  expect(await page.locator('#rooms-body tr').first().getAttribute('data-id')).toBe(room.id);
  expect(await inPage(page, `document.querySelector('${row(before!)}').tag`)).toBe(42);
  await page.close();
});

test('renders at phone and desktop sizes', async () => {
  for (const [name, viewport] of [['phone', PHONE], ['desktop', DESKTOP]] as const) {
    const { page, errors } = await browser.newPage(viewport);
    await page.goto(`${s.url}/admin`);
    await page.waitForSelector('#login-form');
    const login = await screenshot(page, `admin-login-${name}-${viewport.width}x${viewport.height}`);
    expect([login.width, login.height]).toEqual([viewport.width, viewport.height]);
    expect(login.colours).toBeGreaterThan(20);
    expect(login.foreground).toBeGreaterThan(0.02);

    await signIn(page);
    await page.waitForSelector('#rooms-body tr');
    const shot = await screenshot(page, `admin-${name}-${viewport.width}x${viewport.height}`);
    expect(shot.colours).toBeGreaterThan(50);
    expect(shot.foreground).toBeGreaterThan(0.05);
    // nothing sticks out sideways on a phone
    expect(await inPage<number>(page, 'document.documentElement.scrollWidth')).toBeLessThanOrEqual(viewport.width);
    expect(errors).toEqual([]);
    await page.close();
  }
});

// Both pages with real media: ffmpeg publishes, Chromium plays through hls.js and mpegts.js, the admin ends the room.
import type { Page } from 'playwright-core';
import { DESKTOP, launchBrowser, PHONE, type TestBrowser } from '../helpers/browser';
import { killAll, publish, type ChildHandle } from '../helpers/ffmpeg';
import { call } from '../helpers/http';
import { fetchFinishedReplay, publishLive } from '../helpers/live';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { createRoom, endRoom, inPage, roomStatus, screenshot, visibleText, waitInPage } from './fixtures';

jest.setTimeout(90000);

let s: TestServer;
let browser: TestBrowser;
beforeAll(async () => {
  // these tests are about behaviour and read the English texts; pages-zh.test.ts checks the Chinese ones
  [s, browser] = await Promise.all([startTestServer(), launchBrowser({ locale: 'en-US' })]);
}, 60000);
afterAll(async () => {
  await killAll();
  await browser?.close();
  await s?.stop(true);
});

/** The acceptance stream: 640×360 at 25 fps, H.264 with a keyframe every 2 s, AAC, until stopped. */
const ACCEPTANCE = { size: '640x360', fps: 25, gop: 50, durationS: undefined };
/** Publishes the acceptance stream and waits until the API says the room is live. */
const goLive = (id: string, pushUrl: string): Promise<ChildHandle> => publishLive(s.url, id, pushUrl, ACCEPTANCE, 15000);

const VIDEO = "document.getElementById('video')";

/** Waits until the video has played past `seconds` and is still advancing (not a frozen frame). */
async function expectPlaying(page: Page, seconds: number, timeout = 40000): Promise<void> {
  await waitInPage(page, `${VIDEO}.currentTime > ${seconds} && !${VIDEO}.paused && ${VIDEO}.readyState >= 2`, timeout);
  const t0 = await inPage<number>(page, `${VIDEO}.currentTime`);
  await waitInPage(page, `${VIDEO}.currentTime > ${t0 + 1}`, 10000);
}

/** Resolves once currentTime moves by more than `by` seconds within 2 s of wall time; fails after `timeoutMs`. */
async function expectAdvancing(page: Page, timeoutMs: number, by = 1.5): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const t0 = await inPage<number>(page, `${VIDEO}.currentTime`);
    await page.waitForTimeout(2000);
    if ((await inPage<number>(page, `${VIDEO}.currentTime`)) - t0 > by) return;
    if (Date.now() > until) throw new Error('the video did not resume');
  }
}

/** Resolves once currentTime stands still for a second (the picture froze). */
async function expectFrozen(page: Page, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const t0 = await inPage<number>(page, `${VIDEO}.currentTime`);
    await page.waitForTimeout(1000);
    if ((await inPage<number>(page, `${VIDEO}.currentTime`)) === t0) return;
    if (Date.now() > until) throw new Error('the video never stopped');
  }
}

describe('a live room', () => {
  let roomId: string;
  let publisher: ChildHandle;
  beforeAll(async () => {
    const { room, push } = await createRoom(s, 'Live from the lab');
    roomId = room.id;
    publisher = await goLive(roomId, push.url);
  });
  afterAll(async () => { await publisher.stop(); });

  test('plays through hls.js, with the live badge, viewer count and unmute button', async () => {
    const { page, errors } = await browser.newPage(PHONE);
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    await page.goto(`${s.url}/watch/${roomId}`);
    await expectPlaying(page, 4);
    expect(await page.getAttribute('#watch', 'data-engine')).toBe('hls.js');
    // the page, its player library and the media all come from this server: no CDN
    const foreign = requested.filter((u) => !u.startsWith(`${s.url}/`) && !/^(data|blob):/.test(u));
    expect(foreign).toEqual([]);
    expect(requested.some((u) => u.includes(`/live/${roomId}/index.m3u8?`))).toBe(true);
    expect(await page.getAttribute('#watch', 'data-state')).toBe('playing');
    expect(await visibleText(page, '#live-badge')).toBe('LIVE');
    expect(await visibleText(page, '#viewers')).toMatch(/^\d+ watching$/);
    // this page is an HLS viewer itself: the count it shows comes to include it
    await waitInPage(page, "/^[1-9]\\d* watching$/.test(document.getElementById('viewers').textContent)", 15000);
    expect(await visibleText(page, '#message')).toBeNull(); // no overlay over the picture
    expect(await page.evaluate(`[${VIDEO}.videoWidth, ${VIDEO}.videoHeight]`)).toEqual([640, 360]);

    // autoplay happened muted; one tap turns the sound on
    expect(await inPage(page, `${VIDEO}.muted`)).toBe(true);
    await page.click('#unmute');
    expect(await inPage(page, `${VIDEO}.muted`)).toBe(false);
    expect(await page.isVisible('#unmute')).toBe(false);
    expect(await inPage(page, `${VIDEO}.paused`)).toBe(false);

    for (const [name, viewport] of [['phone', PHONE], ['desktop', DESKTOP]] as const) {
      await page.setViewportSize(viewport);
      await page.waitForTimeout(300);
      const shot = await screenshot(page, `watch-live-${name}-${viewport.width}x${viewport.height}`);
      expect(shot.colours).toBeGreaterThan(200); // testsrc's colour bars and gradients
      expect(shot.foreground).toBeGreaterThan(0.2);
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  test('plays HTTP-FLV through mpegts.js with ?flv=1', async () => {
    const { page, errors } = await browser.newPage();
    await page.goto(`${s.url}/watch/${roomId}?flv=1`);
    await expectPlaying(page, 4);
    expect(await page.getAttribute('#watch', 'data-engine')).toBe('mpegts.js');
    expect(await visibleText(page, '#live-badge')).toBe('LIVE');
    // an HTTP-FLV viewer is counted as soon as it connects
    await waitInPage(page, "/^[1-9]\\d* watching$/.test(document.getElementById('viewers').textContent)", 15000);
    expect(await page.evaluate(`[${VIDEO}.videoWidth, ${VIDEO}.videoHeight]`)).toEqual([640, 360]);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('the admin console shows its real bitrate, frame rate and resolution', async () => {
    const { page } = await browser.newPage(DESKTOP);
    await page.goto(`${s.url}/admin`);
    await page.fill('#token', s.config.secrets.adminToken);
    await page.click('#sign-in');
    const row = `#rooms-body tr[data-id="${roomId}"]`;
    await page.waitForSelector(`${row}[data-status="live"]`);
    await waitInPage(page, `document.querySelector('${row} td[data-label="Resolution"]').textContent === '640×360'`, 10000);
    const bitrate = (await visibleText(page, `${row} td[data-label="Bitrate"]`))!;
    const [, value, unit] = /^([\d.]+) (kbps|Mbps)$/.exec(bitrate) ?? [];
    const kbps = Number(value) * (unit === 'Mbps' ? 1000 : 1);
    expect(kbps).toBeGreaterThan(50); // a 640×360 testsrc at ultrafast is several hundred kbps
    expect(kbps).toBeLessThan(20000);
    expect(await visibleText(page, `${row} td[data-label="FPS"]`)).toMatch(/^2[45]$/);
    expect(Number(await visibleText(page, '[data-total="publishers"]'))).toBeGreaterThanOrEqual(1);
    for (const [name, viewport] of [['phone', PHONE], ['desktop', DESKTOP]] as const) {
      await page.setViewportSize(viewport);
      await page.waitForTimeout(300);
      const shot = await screenshot(page, `admin-live-${name}-${viewport.width}x${viewport.height}`);
      expect(shot.colours).toBeGreaterThan(50);
      expect(shot.foreground).toBeGreaterThan(0.05);
    }
    await page.close();
  });
});

test('an idle watch page starts playing by itself within 10 s of the publish, then shows the replay when it ends', async () => {
  const { room, push } = await createRoom(s, 'Starts later');
  const { page, errors } = await browser.newPage(PHONE);
  await page.goto(`${s.url}/watch/${room.id}`);
  await page.waitForSelector('#watch[data-state="idle"]');
  expect(await visibleText(page, '#message')).toBe('Waiting for host');

  const startedAt = Date.now();
  const publisher = publish(push.url, ACCEPTANCE); // the page, not the test, notices the room going live
  try {
    await page.waitForSelector('#watch[data-state="playing"]', { timeout: 10000 });
    expect(Date.now() - startedAt).toBeLessThan(10000);
    await expectPlaying(page, 4);
    expect(await visibleText(page, '#live-badge')).toBe('LIVE');

    await endRoom(s, room.id);
    // the replay the page is about to play is a finished recording
    const ended = await call(s.url, 'GET', `/api/rooms/${room.id}/play`);
    expect([ended.status, ended.body.error.code]).toEqual([409, 'room_ended']);
    expect((await fetchFinishedReplay(ended.body.error.replay)).segments.length).toBeGreaterThanOrEqual(2);
    await page.waitForSelector('#watch[data-state="replay"]', { timeout: 10000 });
    expect(await visibleText(page, '#notice')).toMatch(/ended/i);
    expect(await visibleText(page, '#replay-badge')).toBe('REPLAY');
    expect(await visibleText(page, '#live-badge')).toBeNull();
    // the recording plays from its start
    await waitInPage(page, `${VIDEO}.currentTime > 2 && !${VIDEO}.paused`, 20000);
    expect(await inPage(page, `${VIDEO}.duration`)).toBeGreaterThan(4);
    expect(await inPage(page, `${VIDEO}.controls`)).toBe(true);
    const shot = await screenshot(page, 'watch-replay-phone-390x844');
    expect(shot.colours).toBeGreaterThan(200);
    expect(errors).toEqual([]);
  } finally {
    await publisher.stop();
    await page.close();
  }
});

test('the FLV player reconnects by itself when the publisher drops and comes back', async () => {
  const { room, push } = await createRoom(s, 'Flaky uplink');
  let publisher = await goLive(room.id, push.url);
  const { page, errors } = await browser.newPage();
  try {
    await page.goto(`${s.url}/watch/${room.id}?flv=1`);
    await expectPlaying(page, 2);
    await publisher.stop();
    await expectFrozen(page, 15000);
    // back inside RECONNECT_GRACE_S: the room is still live and the same push URL works
    expect(await roomStatus(s, room.id)).toBe('live');
    publisher = publish(push.url, ACCEPTANCE);
    await expectAdvancing(page, 30000);
    expect(await page.getAttribute('#watch', 'data-state')).toBe('playing');
    expect(await page.getAttribute('#watch', 'data-engine')).toBe('mpegts.js');
    expect(errors).toEqual([]);
  } finally {
    await publisher.stop();
    await page.close();
  }
});

test('"End" in the admin console ends a live room and ffmpeg exits within seconds', async () => {
  const { room, push } = await createRoom(s, 'Ended by admin');
  const publisher = await goLive(room.id, push.url);
  try {
    const { page } = await browser.newPage(DESKTOP);
    await page.goto(`${s.url}/admin`);
    await page.fill('#token', s.config.secrets.adminToken);
    await page.click('#sign-in');
    const row = `#rooms-body tr[data-id="${room.id}"]`;
    await page.waitForSelector(`${row}[data-status="live"]`);
    const dialogs: string[] = [];
    page.once('dialog', (d) => { dialogs.push(d.message()); void d.accept(); });
    const clickedAt = Date.now();
    await page.click(`${row} button.end`);
    expect(dialogs).toEqual(['End room "Ended by admin"? Its publisher will be disconnected. This cannot be undone.']);
    let timer: NodeJS.Timeout | undefined;
    const exit = await Promise.race([
      publisher.exited,
      new Promise<'still running'>((r) => { timer = setTimeout(() => r('still running'), 5000); }),
    ]);
    clearTimeout(timer);
    expect(exit).not.toBe('still running');
    expect(Date.now() - clickedAt).toBeLessThan(5000);
    await page.waitForSelector(`${row}[data-status="ended"]`);
    expect(await roomStatus(s, room.id)).toBe('ended');
    await page.close();
  } finally {
    await publisher.stop();
  }
});

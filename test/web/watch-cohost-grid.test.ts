// The watch page's co-host grid (issue 15) in Chromium against a real server: ffmpeg publishes the main stream and
// two accepted guests' slots (tickets from POST /api/rooms/:id/cohosts/push after a socket request and the host's
// accept); the page shows the host and both guests with their names (guests through mpegts.js, HTTP-FLV), beside
// the host on a desktop and below it on a phone; removing a guest drops its tile. Screenshot: /tmp/h5-grid.png.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { TestSocket } from '../chat/chat-server';
import { DESKTOP, launchBrowser, PHONE, type TestBrowser } from '../helpers/browser';
import { killAll, publish, type ChildHandle } from '../helpers/ffmpeg';
import { call, login } from '../helpers/http';
import { publishLive } from '../helpers/live';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { ARTIFACTS, createRoom, inPage, screenshot, visibleText, waitInPage } from './fixtures';

jest.setTimeout(120000);

let s: TestServer;
let browser: TestBrowser;
const sockets: TestSocket[] = [];
beforeAll(async () => {
  [s, browser] = await Promise.all([startTestServer(), launchBrowser({ locale: 'en-US' })]);
}, 60000);
afterAll(async () => {
  for (const k of sockets) k.ws.close();
  await killAll();
  await browser?.close();
  await s?.stop(true);
});

interface Guest { id: string; push: string; slot: string }

/** A signed-in viewer named `nickname` asks on the room socket, the host accepts, the guest takes its ticket. */
async function acceptedGuest(roomId: string, hostToken: string, code: string, nickname: string): Promise<Guest> {
  const token = await login(s.url, code);
  expect((await call(s.url, 'PUT', '/api/me', { token, body: { nickname } })).status).toBe(200);
  const socket = new TestSocket(s.url.replace('http:', 'ws:'), roomId);
  sockets.push(socket);
  await socket.opened;
  socket.send({ type: 'auth', token });
  const id = (await socket.next('hello', (f) => !!f.you)).you!.id;
  socket.send({ type: 'cohost_request' });
  expect((await socket.next('notice')).code).toBe('cohost_requested');
  const accepted = await call(s.url, 'POST', `/api/rooms/${roomId}/cohosts`, { token: hostToken, body: { userId: id } });
  expect(accepted.status).toBe(200);
  const ticket = await call(s.url, 'POST', `/api/rooms/${roomId}/cohosts/push`, { token });
  expect(ticket.status).toBe(200);
  return { id, push: ticket.body.push.url, slot: ticket.body.slot };
}

const box = async (page: Page, selector: string) => (await page.locator(selector).boundingBox())!;
const names = (page: Page): Promise<string[]> =>
  inPage(page, "Array.from(document.querySelectorAll('.guest-tile .tile-name')).map((n) => n.textContent)");
const playingGuests = "document.querySelectorAll('.guest-tile[data-state=\"playing\"]').length";

test('the host and two guests in a responsive grid, names under each tile; a removed guest leaves it', async () => {
  const { room, push } = await createRoom(s, 'Panel talk');
  const hostToken = await login(s.url, 'web-host');
  const publishers: ChildHandle[] = [];
  try {
    publishers.push(await publishLive(s.url, room.id, push.url, { size: '320x240', fps: 25, gop: 25, durationS: 110 }, 15000));
    const ana = await acceptedGuest(room.id, hostToken, 'grid-guest-ana', 'Ana');
    const bo = await acceptedGuest(room.id, hostToken, 'grid-guest-bo', 'Bo');
    expect([ana.slot, bo.slot]).toEqual(['g1', 'g2']);
    publishers.push(publish(ana.push, { size: '176x144', fps: 15, gop: 15, durationS: 110 }));
    publishers.push(publish(bo.push, { size: '160x120', fps: 15, gop: 15, durationS: 110 }));

    const { page, errors } = await browser.newPage(DESKTOP);
    await page.goto(`${s.url}/watch/${room.id}`);
    await waitInPage(page, `${playingGuests} === 2`, 45000);
    await waitInPage(page, "document.getElementById('video').currentTime > 1", 30000);
    expect(await names(page)).toEqual(['Ana', 'Bo']);
    expect(await visibleText(page, '#host-name')).toBe('Host');
    expect(await page.getAttribute('#grid', 'data-guests')).toBe('2');
    // each guest's own picture, through mpegts.js (HTTP-FLV) where MediaSource exists
    expect(await inPage(page, "Array.from(document.querySelectorAll('.guest-video')).map((v) => v.videoWidth)")).toEqual([176, 160]);
    expect(await inPage(page, "Array.from(document.querySelectorAll('.guest-tile')).map((t) => t.dataset.engine)")).toEqual(['flv', 'flv']);

    // desktop: guests stacked to the right of the host's stage
    const stage = await box(page, '.host-tile');
    const [g1, g2] = [await box(page, '.guest-tile[data-slot="g1"]'), await box(page, '.guest-tile[data-slot="g2"]')];
    expect(g1.x).toBeGreaterThanOrEqual(stage.x + stage.width);
    expect(g2.y).toBeGreaterThanOrEqual(g1.y + g1.height);
    const desk = await screenshot(page, `watch-cohost-grid-desktop-${DESKTOP.width}x${DESKTOP.height}`);
    expect(desk.colours).toBeGreaterThan(200);
    copyFileSync(join(ARTIFACTS, `watch-cohost-grid-desktop-${DESKTOP.width}x${DESKTOP.height}.png`), '/tmp/h5-grid.png');

    // phone: the host full width, the guests side by side below it
    await page.setViewportSize(PHONE);
    await page.waitForTimeout(300);
    const [pStage, p1, p2] = [await box(page, '.host-tile'), await box(page, '.guest-tile[data-slot="g1"]'), await box(page, '.guest-tile[data-slot="g2"]')];
    expect(Math.round(pStage.width)).toBe(PHONE.width);
    expect(p1.y).toBeGreaterThanOrEqual(pStage.y + pStage.height);
    expect(p2.x).toBeGreaterThanOrEqual(p1.x + p1.width);
    expect(Math.round(p2.y)).toBe(Math.round(p1.y));
    await screenshot(page, `watch-cohost-grid-phone-${PHONE.width}x${PHONE.height}`);

    // the host removes Bo: the line-up frame takes his tile away
    const removed = await call(s.url, 'DELETE', `/api/rooms/${room.id}/cohosts/${bo.id}`, { token: hostToken });
    expect(removed.status).toBe(200);
    await waitInPage(page, "document.querySelectorAll('.guest-tile').length === 1", 5000);
    expect(await names(page)).toEqual(['Ana']);
    expect(await page.getAttribute('#grid', 'data-guests')).toBe('1');
    expect(errors).toEqual([]);
    await page.close();
  } finally {
    await Promise.all(publishers.map((p) => p.stop()));
  }
});

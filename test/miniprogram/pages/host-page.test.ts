/** @jest-environment jsdom */
// The host page in miniprogram-simulate: title form → room → live-pusher bindings, controls, recovery limits
// (repeated 3004, the retry budget), permissions and ending. Every state code: host-page-states.test.ts.
import { CONFIG } from '../../../miniprogram/config';
import { FakeWx } from '../helpers/fake-wx';
import * as fx from '../helpers/fixtures';
import { $, fire, renderPage, simWx, stubBuiltin, text, until, untilFake, useFakeWx, type SimComponent, useLanguage } from '../helpers/simulate';

// live-pusher stand-in with the properties the page binds, so bindings are observable
stubBuiltin('live-pusher', {
  url: String, mode: String, autopush: Boolean, beauty: Number, whiteness: Number, enableMic: Boolean,
  remoteMirror: Boolean, localMirror: String, devicePosition: String, orientation: String, aspect: String, backgroundMute: Boolean,
});

const ROOM = 'HHHHHHHHHHH1';

interface PusherCall { method: string; arg?: unknown }
let fake: FakeWx;
let calls: PusherCall[];
let screen: boolean[];
let modals: number;
let pushTickets: number;

afterEach(() => { jest.useRealTimers(); });

beforeEach(() => {
  useLanguage('en'); // behaviour in English; the Chinese texts: *-zh.test.ts
  fake = new FakeWx();
  useFakeWx(fake);
  calls = [];
  screen = [];
  modals = 0;
  pushTickets = 0;
  const record = (method: string) => (arg?: { success?: () => void }) => { calls.push({ method, arg }); setTimeout(() => arg?.success?.(), 0); };
  simWx().createLivePusherContext = () => ({
    start: record('start'), stop: record('stop'), switchCamera: record('switchCamera'), toggleTorch: record('toggleTorch'),
  });
  simWx().authorize = (o: { success: () => void }) => { setTimeout(() => o.success(), 0); };
  simWx().setKeepScreenOn = (o: { keepScreenOn: boolean }) => { screen.push(o.keepScreenOn); };
  simWx().showModal = (o: { success: (r: { confirm: boolean }) => void }) => { modals += 1; setTimeout(() => o.success({ confirm: true }), 0); };
  fake.on('POST /api/auth/login', { status: 200, body: fx.login('host-token') });
  fake.on('POST /api/rooms', { status: 201, body: fx.created(ROOM, 'My show') });
  fake.on(`POST /api/rooms/${ROOM}/push`, () => { pushTickets += 1; return { status: 200, body: { push: fx.push(ROOM, pushTickets + 1) } }; });
  fake.on(`POST /api/rooms/${ROOM}/end`, { status: 200, body: { room: fx.room({ id: ROOM, status: 'ended' }) } });
});

const starts = () => calls.filter((c) => c.method === 'start').length;
const pusher = (page: SimComponent) => page.querySelector('#pusher')!;

/** Renders the page, creates a room titled "My show" and presses Start. */
async function live(): Promise<SimComponent> {
  const page = renderPage('host');
  page.querySelector('.title-input')!.dispatchEvent('input', { detail: { value: '  My show ' } });
  await until(() => page.data.title === '  My show ', 'title input');
  page.querySelector('.create')!.dispatchEvent('tap');
  await until(() => page.data.stage === 'ready', 'room created');
  page.querySelector('.start')!.dispatchEvent('tap');
  await until(() => starts() === 1, 'start()');
  return page;
}

test('the form sends the trimmed title and the pusher gets the push URL and settings', async () => {
  const page = await live();
  const create = fake.to('/api/rooms')[0];
  expect(create.data).toEqual({ title: 'My show' });
  expect(create.header.Authorization).toBe('Bearer host-token');
  const p = pusher(page);
  expect(p.data.url).toBe(fx.push(ROOM).url);
  expect(p.data).toMatchObject({ beauty: 5, whiteness: 3, mode: 'HD', enableMic: true, remoteMirror: false, autopush: false });
  expect(screen).toEqual([true]);
  // sharing and OBS details are shown
  expect(text($(page, '.obs-server'))).toBe(fx.push(ROOM).server);
  expect(text($(page, '.stream-key'))).toBe(fx.push(ROOM).streamKey);
  expect(text($(page, '.watch-link'))).toBe(`http://localhost:8080/watch/${ROOM}`);
});

test('an empty title is refused before any request', async () => {
  const page = renderPage('host');
  page.querySelector('.create')!.dispatchEvent('tap');
  await until(() => page.data.formError !== '', 'form error');
  expect(text($(page, '.form-error'))).toBe('Give your broadcast a title.');
  expect(fake.requests).toHaveLength(0);
});

test('sliders, mode and toggles change the bound values live', async () => {
  const page = await live();
  page.querySelector('.beauty')!.dispatchEvent('changing', { detail: { value: 8 } });
  page.querySelector('.whiteness')!.dispatchEvent('change', { detail: { value: 0 } });
  page.querySelectorAll('.mode')[2].dispatchEvent('tap');
  page.querySelector('.mute')!.dispatchEvent('tap');
  page.querySelector('.mirror')!.dispatchEvent('tap');
  await until(() => pusher(page).data.beauty === 8 && pusher(page).data.mode === 'FHD' && pusher(page).data.remoteMirror === true, 'bindings');
  expect(pusher(page).data).toMatchObject({ beauty: 8, whiteness: 0, mode: 'FHD', enableMic: false, remoteMirror: true });

  page.querySelector('.camera')!.dispatchEvent('tap');
  await until(() => calls.some((c) => c.method === 'switchCamera'), 'switchCamera');
  // the torch exists on the back camera only: tap it once the switch has succeeded (its success sets `front`)
  await until(() => text($(page, '.camera')) === 'Back camera', 'the back camera');
  page.querySelector('.torch')!.dispatchEvent('tap');
  await until(() => calls.some((c) => c.method === 'toggleTorch'), 'toggleTorch');
  // the label follows the call's success callback, which comes after the call itself
  await until(() => text($(page, '.torch')) === 'Torch on', 'the torch label');
  expect(text($(page, '.camera'))).toBe('Back camera');
  expect(text($(page, '.torch'))).toBe('Torch on');
});

test('the weak-network banner hides once 1101 stops coming', async () => {
  const page = await live();
  jest.useFakeTimers();
  await fire(pusher(page), 'statechange', { code: 1101 });
  expect($(page, '.weak-banner')).not.toBeNull();
  jest.advanceTimersByTime(CONFIG.weakBannerMs - 1);
  await fire(pusher(page), 'statechange', { code: 1101 });
  // almost twice the delay after the first 1101, but not yet the delay after the second: still shown
  jest.advanceTimersByTime(CONFIG.weakBannerMs - 1);
  expect($(page, '.weak-banner')).not.toBeNull();
  jest.advanceTimersByTime(1);
  expect($(page, '.weak-banner')).toBeNull();
  expect(page.data.pushing).toBe(true);
});

test('netstatus shows a compact overlay', async () => {
  const page = await live();
  pusher(page).dispatchEvent('netstatus', { detail: { info: { videoBitrate: 900, audioBitrate: 48, videoFPS: 25, videoWidth: 720, videoHeight: 1280, netSpeed: 980 } } });
  await until(() => page.data.netLine !== '', 'net line');
  expect(text($(page, '.net'))).toBe('948 kbps · 25 fps · 720×1280 · ↑980 kbps');
});

test('3004 → re-sign at once and restart; a second 3004 right after is a clear failure', async () => {
  const page = await live();
  pusher(page).dispatchEvent('statechange', { detail: { code: 3004 } });
  await until(() => starts() === 2, 'restart after re-sign');
  expect(pushTickets).toBe(1);
  expect(pusher(page).data.url).toBe(fx.push(ROOM, 2).url);

  pusher(page).dispatchEvent('statechange', { detail: { code: 3004 } });
  await until(() => page.data.failure !== '', 'failure');
  expect(text($(page, '.failure'))).toBe('The server keeps refusing this stream. The room may have ended.');
  expect(pushTickets).toBe(1);
  expect(calls[calls.length - 1].method).toBe('stop');
  expect(page.data.pushing).toBe(false);
  expect(screen[screen.length - 1]).toBe(false);
});

test('camera failure and refused permission explain and stop', async () => {
  const page = await live();
  pusher(page).dispatchEvent('statechange', { detail: { code: -1301 } });
  await until(() => page.data.failure !== '', 'camera failure');
  expect(text($(page, '.failure'))).toMatch(/^Could not open the camera\. Close other apps/);
  expect(page.data.pushing).toBe(false);

  page.querySelector('.start')!.dispatchEvent('tap');
  await until(() => starts() === 2, 'start again');
  pusher(page).dispatchEvent('error', { detail: { errCode: 10002, errMsg: 'record denied' } });
  await until(() => page.data.permissionHint !== '', 'permission hint');
  expect(text($(page, '.permission'))).toContain('needs the microphone');
  expect(page.data.pushing).toBe(false);
});

test('a refused authorize never starts the pusher', async () => {
  simWx().authorize = (o: { scope: string; success: () => void; fail: () => void }) => {
    setTimeout(() => (o.scope === 'scope.camera' ? o.fail() : o.success()), 0);
  };
  const page = renderPage('host');
  page.querySelector('.title-input')!.dispatchEvent('input', { detail: { value: 'x' } });
  page.querySelector('.create')!.dispatchEvent('tap');
  await until(() => page.data.stage === 'ready', 'room created');
  page.querySelector('.start')!.dispatchEvent('tap');
  await until(() => page.data.permissionHint !== '', 'permission hint');
  expect(text($(page, '.permission'))).toContain('needs the camera');
  expect(starts()).toBe(0);
});

test('End asks for confirmation, ends the room on the server and releases the screen', async () => {
  const page = await live();
  page.querySelector('.end')!.dispatchEvent('tap');
  await until(() => page.data.stage === 'ended', 'ended');
  expect(modals).toBe(1);
  expect(fake.to(`/api/rooms/${ROOM}/end`)).toHaveLength(1);
  expect(calls.map((c) => c.method)).toContain('stop');
  expect(screen[screen.length - 1]).toBe(false);
  expect(text($(page, '.ended'))).toContain('Broadcast ended');
});

test('leaving the page (swipe-back is not held by the alert) stops the camera but does not end the room', async () => {
  const page = await live();
  page.instance.onUnload();
  expect(calls[calls.length - 1].method).toBe('stop');
  expect(screen[screen.length - 1]).toBe(false);
  // the room stays live for the server's reconnect grace: the host can come back to it
  await new Promise((r) => setTimeout(r, 50));
  expect(fake.to(`/api/rooms/${ROOM}/end`)).toHaveLength(0);
});

test('-1307 more often than the retry budget allows ends in a clear failure; the pending retry is cancelled', async () => {
  const page = await live();
  jest.useFakeTimers();
  for (let i = 1; i <= 4; i++) {
    await fire(pusher(page), 'statechange', { code: -1307 });
    expect(page.data.status).toContain(`(${i}/4)`);
  }
  await fire(pusher(page), 'statechange', { code: -1307 });
  expect(text($(page, '.failure'))).toBe('Could not reconnect after 4 tries. Check the network and tap Start.');
  expect(page.data.pushing).toBe(false);

  // the host taps Start again at once; the 4th retry (up to maxMs away) must not restart the pusher a second time
  await fire(page.querySelector('.start')!, 'tap');
  await untilFake(() => starts() === 2, 'start() again');
  await jest.advanceTimersByTimeAsync(CONFIG.pushRetry.maxMs + 1);
  expect(pushTickets).toBe(0);
  expect(starts()).toBe(2);
  expect(page.data.pushing).toBe(true);
});

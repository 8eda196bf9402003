/** @jest-environment jsdom */
// The host page through a phone's ordinary life: background and foreground, 5000, calls and alarms, the
// network going and coming back, the camera preview, camera/torch switches that fail, restarts racing the
// new URL, portrait/landscape and the microphone level. Scripted wx events and pusher state codes; each test
// asserts what the page shows and which pusher-context calls it makes, in order.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG } from '../../../miniprogram/config';
import { FakeWx } from '../helpers/fake-wx';
import * as fx from '../helpers/fixtures';
import { $, MINIPROGRAM_ROOT, fire, renderPage, simWx, stubBuiltin, text, until, untilFake, useFakeWx, useLanguage, type SimComponent } from '../helpers/simulate';

stubBuiltin('live-pusher', {
  url: String, devicePosition: String, orientation: String, aspect: String, enableAns: Boolean, enableAgc: Boolean, waitingImage: String,
});

const ROOM = 'HHHHHHHHHHH3';
let fake: FakeWx;
/** pusher-context calls in order; start() records the url live-pusher had at that moment */
let calls: string[];
let screen: boolean[];
let tickets: number;
let failing: Set<string>;
let page: SimComponent;
const listeners: Record<string, ((res?: unknown) => void)[]> = {};

afterEach(() => {
  jest.useRealTimers();
  page?.instance.onUnload();
});

beforeEach(() => {
  useLanguage('en');
  fake = new FakeWx();
  useFakeWx(fake);
  calls = [];
  screen = [];
  tickets = 0;
  failing = new Set();
  let stopping = 0;
  const record = (method: string) => (arg?: { success?: () => void; fail?: (e: { errMsg: string }) => void }) => {
    // like the SDK, stop() finishes later; a start() before that would race it
    if (method === 'start') calls.push(`start ${page.querySelector('#pusher')!.data.url}${stopping > 0 ? ' (before stop() finished)' : ''}`);
    else calls.push(method);
    if (method === 'stop') stopping += 1;
    setTimeout(() => {
      if (method === 'stop') stopping -= 1;
      if (failing.has(method)) arg?.fail?.({ errMsg: `${method}:fail` });
      else arg?.success?.();
    }, 0);
  };
  simWx().createLivePusherContext = () => Object.fromEntries(
    ['start', 'stop', 'startPreview', 'stopPreview', 'switchCamera', 'toggleTorch', 'resume'].map((m) => [m, record(m)]));
  simWx().authorize = (o: { success: () => void }) => { setTimeout(() => o.success(), 0); };
  simWx().setKeepScreenOn = (o: { keepScreenOn: boolean }) => { screen.push(o.keepScreenOn); };
  simWx().showToast = () => undefined;
  for (const name of ['AudioInterruptionBegin', 'AudioInterruptionEnd', 'NetworkStatusChange']) {
    listeners[name] = [];
    simWx()[`on${name}`] = (fn: () => void) => { listeners[name].push(fn); };
    simWx()[`off${name}`] = (fn: () => void) => { listeners[name] = listeners[name].filter((f) => f !== fn); };
  }
  fake.on('POST /api/auth/login', { status: 200, body: fx.login() });
  fake.on('POST /api/rooms', { status: 201, body: fx.created(ROOM, 'Life') });
  fake.on(`POST /api/rooms/${ROOM}/push`, () => { tickets += 1; return { status: 200, body: { push: fx.push(ROOM, tickets + 1) } }; });
});

const pusher = () => page.querySelector('#pusher')!;
const state = (code: number) => fire(pusher(), 'statechange', { code });
const emit = async (name: string, res?: unknown) => { for (const fn of listeners[name]) fn(res); await Promise.resolve(); };
const liveBadge = () => $(page, '.badge-live') !== null;
const url = (n: number) => fx.push(ROOM, n).url;

/** A room created (the camera preview open), not yet started. */
async function ready(): Promise<void> {
  page = renderPage('host');
  await fire(page.querySelector('.title-input')!, 'input', { value: 'Life' });
  await fire(page.querySelector('.create')!, 'tap');
  await until(() => page.data.stage === 'ready', 'room created');
}

/** Started and publishing (1002); fake timers and a clean call list from here on. */
async function publishing(): Promise<void> {
  await ready();
  await fire(page.querySelector('.start')!, 'tap');
  await until(() => calls.some((c) => c.startsWith('start ')), 'start()');
  await state(1002);
  jest.useFakeTimers();
  calls = [];
  screen = [];
}

test('the camera preview opens when the pusher mounts and again after Stop (start/stop open and close it)', async () => {
  await ready();
  await until(() => calls.length === 1, 'preview');
  expect(calls).toEqual(['startPreview']);
  await fire(page.querySelector('.start')!, 'tap');
  await until(() => calls.length === 2, 'start()');
  expect(calls).toEqual(['startPreview', `start ${url(1)}`]);
  await fire(page.querySelector('.stop')!, 'tap');
  await until(() => calls.length === 4, 'preview after stop');
  expect(calls.slice(2)).toEqual(['stop', 'startPreview']);
  expect(text($(page, '.status'))).toBe('Stopped');
});

test('background while live: nothing is called; back in front keep-screen-on is set again and a live push is left alone', async () => {
  await publishing();
  page.instance.onHide();
  await jest.advanceTimersByTimeAsync(CONFIG.pushRetry.maxMs + 1);
  expect(calls).toEqual([]);
  page.instance.onShow();
  expect(screen).toEqual([true]);
  await jest.advanceTimersByTimeAsync(CONFIG.pushRetry.maxMs + 1);
  expect(calls).toEqual([]);
  expect(tickets).toBe(0);
  expect(liveBadge()).toBe(true);
});

test('a retry pending when the host leaves is cancelled (calls fail in the background); onShow restarts at once with a fresh ticket', async () => {
  await publishing();
  await state(-1307);
  page.instance.onHide();
  await jest.advanceTimersByTimeAsync(CONFIG.pushRetry.maxMs + 1);
  expect(tickets).toBe(0);
  expect(calls).toEqual([]);
  // a -1307 in the background does not schedule another one either
  await state(-1307);
  await jest.advanceTimersByTimeAsync(CONFIG.pushRetry.maxMs + 1);
  expect(tickets).toBe(0);
  page.instance.onShow();
  expect(screen).toEqual([true]);
  await untilFake(() => calls.length === 2, 'restart');
  expect(tickets).toBe(1);
  expect(calls).toEqual(['stop', `start ${url(2)}`]);
  await state(1002);
  expect(liveBadge()).toBe(true);
});

test('5000 (suspended): push stopped, not LIVE; onShow restarts with a fresh ticket, and 1002 brings LIVE back', async () => {
  await publishing();
  page.instance.onHide();
  await state(5000);
  expect(calls).toEqual(['stop']);
  expect(liveBadge()).toBe(false);
  expect(text($(page, '.failure'))).toMatch(/suspended/i);
  page.instance.onShow();
  await untilFake(() => calls.length === 3, 'restart');
  expect(calls).toEqual(['stop', 'stop', `start ${url(2)}`]);
  expect(tickets).toBe(1);
  await state(1002);
  expect(liveBadge()).toBe(true);
  expect($(page, '.failure')).toBeNull();
});

test('a restart starts on the new URL: start() waits for live-pusher to have it and for stop() to finish', async () => {
  await publishing();
  await state(3004);
  await untilFake(() => calls.length === 2, 'restart');
  // the url recorded at start() is the fresh ticket's, not the old one
  expect(calls).toEqual(['stop', `start ${url(2)}`]);
  expect(pusher().data.url).toBe(url(2));
});

test('a call or an alarm: "microphone interrupted" while it lasts; a live push resumes after, a dropped one restarts', async () => {
  await publishing();
  await emit('AudioInterruptionBegin');
  expect(text($(page, '.interrupted'))).toMatch(/microphone interrupted/i);
  await emit('AudioInterruptionEnd');
  expect($(page, '.interrupted')).toBeNull();
  await untilFake(() => calls.length === 1, 'resume');
  expect(calls).toEqual(['resume']);

  calls = [];
  await emit('AudioInterruptionBegin');
  await state(1102); // the SDK lost the stream meanwhile
  await emit('AudioInterruptionEnd');
  await untilFake(() => calls.length === 2, 'restart');
  expect(calls).toEqual(['stop', `start ${url(2)}`]);
});

test('network gone: the -1307 backoff waits and says so (no ticket, no budget spent); back online it restarts at once', async () => {
  await publishing();
  await emit('NetworkStatusChange', { isConnected: false, networkType: 'none' });
  expect(text($(page, '.offline-banner'))).toMatch(/offline/i);
  expect(liveBadge()).toBe(false);
  for (let i = 0; i < CONFIG.pushRetry.maxTries + 1; i++) {
    await state(-1307);
    await jest.advanceTimersByTimeAsync(CONFIG.pushRetry.maxMs + 1);
  }
  expect(tickets).toBe(0);
  expect(calls).toEqual([]);
  expect(page.data.pushing).toBe(true);
  expect(text($(page, '.status'))).toMatch(/offline/i);
  await emit('NetworkStatusChange', { isConnected: true, networkType: '4g' });
  expect($(page, '.offline-banner')).toBeNull();
  await untilFake(() => calls.length === 2, 'restart');
  expect(calls).toEqual(['stop', `start ${url(2)}`]);
  // the budget is whole: the next -1307 is try 1 of 4
  await state(1002);
  await state(-1307);
  expect(text($(page, '.status'))).toContain(`(1/${CONFIG.pushRetry.maxTries})`);
});

test('a network switch while live (Wi-Fi → 4G, still connected) does nothing', async () => {
  await publishing();
  await emit('NetworkStatusChange', { isConnected: true, networkType: '4g' });
  await jest.advanceTimersByTimeAsync(CONFIG.pushRetry.maxMs + 1);
  expect(calls).toEqual([]);
  expect(liveBadge()).toBe(true);
});

test('device-position follows the camera actually in use: a failed switch or torch changes nothing', async () => {
  await ready();
  expect(pusher().data.devicePosition).toBe('front');
  failing.add('switchCamera');
  await fire(page.querySelector('.camera')!, 'tap');
  await until(() => calls.includes('switchCamera'), 'switchCamera');
  await new Promise((r) => setTimeout(r, 10));
  expect(pusher().data.devicePosition).toBe('front');
  expect(text($(page, '.camera'))).toBe('Front camera');
  failing.clear();
  await fire(page.querySelector('.camera')!, 'tap');
  await until(() => pusher().data.devicePosition === 'back', 'switched');
  expect(text($(page, '.camera'))).toBe('Back camera');
  failing.add('toggleTorch');
  await fire(page.querySelector('.torch')!, 'tap');
  await until(() => calls.includes('toggleTorch'), 'toggleTorch');
  await new Promise((r) => setTimeout(r, 10));
  expect(text($(page, '.torch'))).toBe('Torch off');
});

test('portrait or landscape and the aspect are chosen before going live; noise suppression, auto gain, the waiting image', async () => {
  await ready();
  expect(pusher().data).toMatchObject({ orientation: 'vertical', aspect: '9:16', enableAns: true, enableAgc: true });
  const image = pusher().data.waitingImage as string;
  expect(image).toMatch(/^\/assets\/.+\.png$/);
  expect(existsSync(join(MINIPROGRAM_ROOT, image))).toBe(true);
  await fire(page.querySelector('.orientation')!, 'tap');
  await fire(page.querySelector('.aspect')!, 'tap');
  expect(pusher().data).toMatchObject({ orientation: 'horizontal', aspect: '3:4' });
  expect(text($(page, '.orientation'))).toBe('Landscape');
  await fire(page.querySelector('.start')!, 'tap');
  await until(() => page.data.pushing, 'pushing');
  await fire(page.querySelector('.orientation')!, 'tap');
  expect(pusher().data.orientation).toBe('horizontal');
});

test('the microphone level follows bindaudiovolumenotify', async () => {
  await publishing();
  await fire(pusher(), 'audiovolumenotify', { volume: 42 });
  expect($(page, '.mic-level')!.getAttribute('style')).toMatch(/width:\s*42%/);
  await fire(pusher(), 'audiovolumenotify', { volume: 180 });
  expect($(page, '.mic-level')!.getAttribute('style')).toMatch(/width:\s*100%/);
});

test('leaving without End keeps the room (no /end) and drops the wx listeners', async () => {
  await publishing();
  page.instance.onUnload();
  expect(calls).toEqual(['stop']);
  expect(listeners.NetworkStatusChange).toEqual([]);
  expect(listeners.AudioInterruptionBegin).toEqual([]);
  await jest.advanceTimersByTimeAsync(100);
  expect(fake.to(`/api/rooms/${ROOM}/end`)).toHaveLength(0);
});

test('zoom where the base library and camera have it: a slider up to getMaxZoom, setZoom on change; no slider without it', async () => {
  await ready();
  await until(() => calls.includes('startPreview'), 'preview');
  expect($(page, '.zoom')).toBeNull(); // this context has no getMaxZoom (an older base library)
  page.instance.onUnload();

  const base = simWx().createLivePusherContext;
  simWx().createLivePusherContext = () => ({
    ...base(),
    getMaxZoom: (o: { success: (r: { maxZoom: string }) => void }) => { calls.push('getMaxZoom'); setTimeout(() => o.success({ maxZoom: '5' }), 0); },
    setZoom: (o: { zoom: number; success: () => void }) => { calls.push(`setZoom ${o.zoom}`); setTimeout(() => o.success(), 0); },
  });
  calls = [];
  await ready();
  await until(() => $(page, '.zoom') !== null, 'zoom slider');
  expect(calls).toEqual(['startPreview', 'getMaxZoom']);
  await fire(page.querySelector('.zoom')!, 'change', { value: 3 });
  await until(() => page.data.zoom === 3, 'zoomed');
  expect(calls).toEqual(['startPreview', 'getMaxZoom', 'setZoom 3']);
});

/** @jest-environment jsdom */
// The audience page through a phone's ordinary life: background and foreground (timers paused, a request
// interrupted by the background counted as nothing), the viewer's own network gone, a stutter that clears,
// full screen in the video's direction with its controls inside live-player, keep-screen-on, picture-in-
// picture, and the src-then-play race. Scripted wx events and player state codes; each test asserts what the
// page shows and which player-context calls it makes, in order.
import { CONFIG } from '../../../miniprogram/config';
import { FakeWx, type Reply } from '../helpers/fake-wx';
import * as fx from '../helpers/fixtures';
import { $, fire, renderPage, simWx, stubBuiltin, text, until, untilFake, useFakeWx, useLanguage, type SimComponent } from '../helpers/simulate';

stubBuiltin('live-player', { src: String, pictureInPictureMode: Array });
stubBuiltin('video', { src: String });

const ROOM = 'PPPPPPPPPPP3';
let fake: FakeWx;
let calls: string[];
let screen: boolean[];
let playFetches: number;
let playReply: () => Reply;
let networkType: string;
let page: SimComponent | null;
let netListeners: ((res: { isConnected: boolean; networkType: string }) => void)[];

beforeEach(() => {
  useLanguage('en');
  fake = new FakeWx();
  useFakeWx(fake);
  calls = [];
  screen = [];
  playFetches = 0;
  networkType = 'wifi';
  netListeners = [];
  page = null;
  playReply = () => ({ status: 200, body: fx.play(ROOM, playFetches) });
  // play() records the src live-player has at that moment
  simWx().createLivePlayerContext = () => ({
    play: () => { calls.push(`play ${page!.querySelector('#player')!.data.src}`); },
    stop: () => { calls.push('stop'); },
    requestFullScreen: (o: { direction: number }) => { calls.push(`requestFullScreen ${o.direction}`); },
    exitFullScreen: () => { calls.push('exitFullScreen'); },
  });
  simWx().setKeepScreenOn = (o: { keepScreenOn: boolean }) => { screen.push(o.keepScreenOn); };
  simWx().getNetworkType = (o: { success: (r: { networkType: string }) => void }) => { setTimeout(() => o.success({ networkType }), 0); };
  simWx().onNetworkStatusChange = (fn: (typeof netListeners)[number]) => { netListeners.push(fn); };
  simWx().offNetworkStatusChange = (fn: (typeof netListeners)[number]) => { netListeners = netListeners.filter((f) => f !== fn); };
  fake.on(`GET /api/rooms/${ROOM}`, () => ({ status: 200, body: { room: fx.room({ id: ROOM, viewers: 12 }) } }));
  fake.on(`GET /api/rooms/${ROOM}/play`, () => { playFetches += 1; return playReply(); });
});

afterEach(() => {
  jest.useRealTimers();
  page?.instance.onUnload();
});

const player = () => page!.querySelector('#player')!;
const state = (code: number) => fire(player(), 'statechange', { code });
const roomReads = () => fake.to(`/api/rooms/${ROOM}`).length;
const network = async (isConnected: boolean) => { for (const fn of netListeners) fn({ isConnected, networkType: isConnected ? 'wifi' : 'none' }); await Promise.resolve(); };

/** Opened on a live room and playing (2004); fake timers and clean call lists from here on. */
async function watching(): Promise<SimComponent> {
  page = renderPage('audience');
  await page.instance.onLoad({ id: ROOM });
  await state(2004);
  jest.useFakeTimers();
  calls = [];
  return page;
}

test('keep-screen-on while playing: on at 2004, again when back in front, off when the host goes offline', async () => {
  await watching();
  expect(screen).toEqual([true]);
  page!.instance.onHide();
  page!.instance.onShow();
  expect(screen).toEqual([true, true]);
  for (let i = 0; i <= CONFIG.playRetry.maxTries; i++) {
    await state(-2301);
    await jest.advanceTimersByTimeAsync(CONFIG.playRetry.maxMs + 1);
  }
  await untilFake(() => page!.data.stage === 'offline', 'offline');
  expect(screen[screen.length - 1]).toBe(false);
});

test('in the background the viewer count is not refreshed; back in front it is read at once and refreshed again', async () => {
  await watching();
  await jest.advanceTimersByTimeAsync(CONFIG.viewerRefreshMs);
  const before = roomReads();
  page!.instance.onHide();
  await jest.advanceTimersByTimeAsync(CONFIG.viewerRefreshMs * 3);
  expect(roomReads()).toBe(before);
  page!.instance.onShow();
  await untilFake(() => roomReads() === before + 1, 'read at once');
  await jest.advanceTimersByTimeAsync(CONFIG.viewerRefreshMs);
  expect(roomReads()).toBe(before + 2);
});

test('a play request interrupted by the background burns no retry and never says "offline"; onShow fetches again', async () => {
  await watching();
  // hold play requests, to fail them after the page went to the background, as WeChat does
  let held: { fail?: (e: { errMsg: string }) => void } | null = null;
  const request = simWx().request;
  simWx().request = (o: { url: string; fail?: (e: { errMsg: string }) => void }) => {
    if (o.url.includes('/play') && held === null) { held = o; return {}; }
    return request(o);
  };
  await state(-2301);
  await untilFake(() => text($(page!, '.status')).includes('(1/'), 'first retry scheduled');
  await jest.advanceTimersByTimeAsync(CONFIG.playRetry.maxMs + 1);
  expect(held).not.toBeNull();
  page!.instance.onHide();
  held!.fail!({ errMsg: 'request:fail interrupted' });
  await jest.advanceTimersByTimeAsync(CONFIG.playRetry.maxMs * 5);
  // nothing was retried in the background, nothing called offline
  expect(fake.to(`/api/rooms/${ROOM}/play`)).toHaveLength(1);
  expect(page!.data.stage).toBe('watching');
  expect(text($(page!, '.status'))).not.toMatch(/offline|\(2\//);
  // back in front: fetched again at once; a real failure now is the second try, not the third
  playReply = () => ({ status: 503, body: { error: { code: 'unavailable', message: 'busy' } } });
  page!.instance.onShow();
  await untilFake(() => fake.to(`/api/rooms/${ROOM}/play`).length === 2, 'fetched again');
  await untilFake(() => text($(page!, '.status')).includes('(2/'), 'second retry');
  expect(text($(page!, '.status'))).toMatch(new RegExp(`retrying in \\d+ s \\(2/${CONFIG.playRetry.maxTries}\\)`));
});

test('a retry timer pending at onHide waits for onShow (no fetch in the background)', async () => {
  await watching();
  await state(-2301);
  await untilFake(() => /retrying/i.test(text($(page!, '.status'))), 'retry scheduled');
  page!.instance.onHide();
  await jest.advanceTimersByTimeAsync(CONFIG.playRetry.maxMs * 3);
  expect(playFetches).toBe(1);
  page!.instance.onShow();
  await untilFake(() => calls.length === 2, 'restart');
  expect(playFetches).toBe(2);
  expect(calls).toEqual(['stop', `play ${fx.play(ROOM, 2).play.flv}`]);
});

test('-2301 with the viewer offline: "your phone is offline", no retries spent; the network back plays at once', async () => {
  await watching();
  networkType = 'none';
  await state(-2301);
  await untilFake(() => $(page!, '.viewer-offline') !== null, 'viewer offline');
  expect(text($(page!, '.viewer-offline'))).toMatch(/your phone is offline/i);
  expect(text($(page!, '.status'))).not.toMatch(/host is offline/i);
  await jest.advanceTimersByTimeAsync(CONFIG.playRetry.maxMs * 5);
  expect(playFetches).toBe(1);
  expect(page!.data.stage).toBe('watching');
  networkType = 'wifi';
  await network(true);
  await untilFake(() => calls.length === 2, 'restart');
  expect(calls).toEqual(['stop', `play ${fx.play(ROOM, 2).play.flv}`]);
  expect($(page!, '.viewer-offline')).toBeNull();
});

test('2105 stutter: the buffering indicator clears by itself, or as soon as netstatus counts frames', async () => {
  await watching();
  await state(2105);
  expect($(page!, '.buffering')).not.toBeNull();
  await jest.advanceTimersByTimeAsync(CONFIG.stutterClearMs - 1);
  expect($(page!, '.buffering')).not.toBeNull();
  await jest.advanceTimersByTimeAsync(1);
  expect($(page!, '.buffering')).toBeNull();

  await state(2105);
  await fire(player(), 'netstatus', { info: { videoFPS: 0 } });
  expect($(page!, '.buffering')).not.toBeNull();
  await fire(player(), 'netstatus', { info: { videoFPS: 24 } });
  expect($(page!, '.buffering')).toBeNull();
  expect(calls).toEqual([]);
});

test('full screen: the controls are children of live-player; a portrait picture stays upright, a landscape one turns', async () => {
  await watching();
  // in full screen only live-player's own children are drawn over the video
  expect($(page!, 'wx-live-player .fullscreen')).not.toBeNull();
  expect($(page!, 'wx-live-player .mute')).not.toBeNull();
  await fire(player(), 'netstatus', { info: { videoWidth: 720, videoHeight: 1280 } });
  await fire(page!.querySelector('.fullscreen')!, 'tap');
  await fire(player(), 'netstatus', { info: { videoWidth: 1280, videoHeight: 720 } });
  await fire(page!.querySelector('.fullscreen')!, 'tap');
  expect(calls).toEqual(['requestFullScreen 0', 'requestFullScreen 90']);
});

test('picture-in-picture: offered, and leaving the page while floating does not stop the player', async () => {
  await watching();
  expect(player().data.pictureInPictureMode).toEqual(['push', 'pop']);
  await fire(player(), 'enterpictureinpicture', {});
  page!.instance.onUnload();
  expect(calls).toEqual([]);
  page = null;

  jest.useRealTimers();
  const second = await watching();
  await fire(player(), 'enterpictureinpicture', {});
  await fire(player(), 'leavepictureinpicture', {});
  second.instance.onUnload();
  expect(calls).toEqual(['stop']);
  page = null;
});

test('a new src is played only once live-player has it (setData callback), even when setData lands late', async () => {
  await watching();
  // the render layer takes its time: every setData lands a tick later, as on a phone
  const inst = page!.instance;
  const setData = inst.setData.bind(inst);
  inst.setData = (patch: object, cb?: () => void) => { setTimeout(() => (setData as (p: object, c?: () => void) => void)(patch, cb), 0); };
  await state(-2301);
  await jest.advanceTimersByTimeAsync(CONFIG.playRetry.maxMs + 1);
  await untilFake(() => calls.length === 2, 'restart');
  expect(calls).toEqual(['stop', `play ${fx.play(ROOM, 2).play.flv}`]);
});

test('the first load interrupted by the background is no error: it loads again in onShow', async () => {
  let held: { fail?: (e: { errMsg: string }) => void } | null = null;
  const request = simWx().request;
  simWx().request = (o: { url: string; fail?: (e: { errMsg: string }) => void }) => {
    if (o.url.endsWith(`/api/rooms/${ROOM}`) && held === null) { held = o; return {}; }
    return request(o);
  };
  page = renderPage('audience');
  const loading = page.instance.onLoad({ id: ROOM });
  await until(() => held !== null, 'room request sent');
  page.instance.onHide();
  held!.fail!({ errMsg: 'request:fail interrupted' });
  await loading;
  expect(page.data.stage).toBe('loading');
  expect($(page, '.error-state')).toBeNull();
  page.instance.onShow();
  await until(() => page!.data.stage === 'watching', 'loaded in onShow');
  expect(player().data.src).toBe(fx.play(ROOM, 1).play.flv);
});

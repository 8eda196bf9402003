/** @jest-environment jsdom */
// The audience page in miniprogram-simulate: play URLs → live-player src, the statechange table
// (2004 playing, 2007 buffering, 2105 a passing stutter, 2103 reconnecting, -2301 re-fetch → RTMP → offline → poll), ended rooms.
import { CONFIG } from '../../../miniprogram/config';
import { FakeWx } from '../helpers/fake-wx';
import * as fx from '../helpers/fixtures';
import { $, renderPage, simWx, stubBuiltin, text, until, useFakeWx, type SimComponent, useLanguage } from '../helpers/simulate';

stubBuiltin('live-player', {
  src: String, mode: String, autoplay: Boolean, muted: Boolean, orientation: String, objectFit: String, minCache: Number, maxCache: Number,
});
stubBuiltin('video', { src: String, controls: Boolean, autoplay: Boolean });

// fast retries and polls for the test; the shape of the policy is what the app ships
CONFIG.playRetry = { baseMs: 20, factor: 2, maxMs: 100, maxTries: 3, jitter: 0 };
CONFIG.offlinePollMs = 30;
CONFIG.viewerRefreshMs = 40;
CONFIG.stutterClearMs = 50;

const ROOM = 'PPPPPPPPPPP1';
let fake: FakeWx;
let calls: { method: string; arg?: unknown }[];
let playFetches: number;
let roomState: { status: 'idle' | 'live' | 'ended'; viewers: number };

beforeEach(() => {
  useLanguage('en'); // behaviour in English; the Chinese texts: *-zh.test.ts
  fake = new FakeWx();
  useFakeWx(fake);
  calls = [];
  playFetches = 0;
  roomState = { status: 'live', viewers: 3 };
  const record = (method: string) => (arg?: unknown) => { calls.push({ method, arg }); };
  simWx().createLivePlayerContext = (id: string) => {
    calls.push({ method: 'create', arg: id });
    return { play: record('play'), stop: record('stop'), requestFullScreen: record('requestFullScreen'), exitFullScreen: record('exitFullScreen') };
  };
  fake.on(`GET /api/rooms/${ROOM}`, () => ({ status: 200, body: { room: fx.room({ id: ROOM, title: 'Concert', ...roomState }) } }));
  fake.on(`GET /api/rooms/${ROOM}/play`, () => {
    playFetches += 1;
    return roomState.status === 'ended' ? { status: 409, body: fx.roomEnded(ROOM) } : { status: 200, body: fx.play(ROOM, playFetches) };
  });
});

const player = (page: SimComponent) => page.querySelector('#player')!;
const state = (page: SimComponent, code: number) => player(page).dispatchEvent('statechange', { detail: { code } });
const count = (method: string) => calls.filter((c) => c.method === method).length;

async function open(): Promise<SimComponent> {
  const page = renderPage('audience');
  await page.instance.onLoad({ id: ROOM });
  return page;
}

test('plays the FLV URL; 2004 → playing; 2007 → buffering until 2004; 2105 → buffering that clears by itself; 2103 → reconnecting', async () => {
  const page = await open();
  expect(player(page).data).toMatchObject({ src: fx.play(ROOM, 1).play.flv, autoplay: true, mode: 'live', muted: false });
  expect(text($(page, '.title'))).toBe('Concert');
  expect(text($(page, '.viewers'))).toBe('3 watching');

  state(page, 2004);
  await until(() => page.data.playing, 'playing');
  expect(text($(page, '.status'))).toBe('Playing');
  expect($(page, '.buffering')).toBeNull();

  state(page, 2007);
  await until(() => page.data.buffering, 'buffering');
  expect(text($(page, '.buffering'))).toBe('Buffering…');
  state(page, 2004);
  await until(() => !page.data.buffering, 'buffering cleared');
  // 2105 is after the fact (no 2004 is promised): its indicator clears by itself
  state(page, 2105);
  await until(() => page.data.buffering, 'stutter');
  await until(() => !page.data.buffering, 'stutter cleared without 2004');

  state(page, 2103);
  await until(() => page.data.reconnecting, 'reconnecting');
  expect(text($(page, '.status'))).toBe('Reconnecting…');
  page.instance.onUnload();
});

test('-2301 re-fetches play URLs and restarts, falls back to RTMP, then "host is offline" and polls the room', async () => {
  const page = await open();
  state(page, -2301);
  await until(() => playFetches === 2, 'first re-fetch');
  await until(() => count('play') === 1, 'play() after re-fetch');
  expect(player(page).data.src).toBe(fx.play(ROOM, 2).play.flv);

  state(page, -2301);
  await until(() => playFetches === 3 && count('play') === 2, 'second re-fetch');
  // two FLV failures → RTMP
  expect(player(page).data.src).toBe(fx.play(ROOM, 3).play.rtmp);
  expect(text($(page, '.source'))).toBe('RTMP');

  state(page, -2301);
  await until(() => playFetches === 4, 'third re-fetch');
  state(page, -2301);
  await until(() => page.data.stage === 'offline', 'offline');
  expect(text($(page, '.status'))).toBe('The host is offline');
  expect(text($(page, '.offline'))).toContain('The host is offline');

  // the room is polled; when it is live again, playback restarts with fresh URLs
  const polls = fake.to(`/api/rooms/${ROOM}`).length;
  await until(() => fake.to(`/api/rooms/${ROOM}`).length > polls, 'poll');
  await until(() => page.data.stage === 'watching' && playFetches === 5, 'back to watching');
  state(page, 2004);
  await until(() => page.data.playing, 'playing again');
  page.instance.onUnload();
});

test('an offline host whose room ends shows "broadcast ended" with the replay', async () => {
  const page = await open();
  for (let i = 0; i < 3; i++) {
    state(page, -2301);
    await until(() => playFetches === i + 2, `re-fetch ${i + 1}`);
  }
  roomState.status = 'ended';
  state(page, -2301);
  await until(() => page.data.stage === 'ended', 'ended', 3000);
  expect(text($(page, '.ended-title'))).toBe('Broadcast ended');
  expect(page.querySelector('.replay-video')!.data.src).toBe(fx.roomEnded(ROOM).error.replay);
  page.instance.onUnload();
});

test('an ended room (409) shows "broadcast ended" with replay info straight away', async () => {
  roomState.status = 'ended';
  const page = await open();
  expect(page.data.stage).toBe('ended');
  expect(page.querySelector('#player')).toBeUndefined();
  expect(text($(page, '.ended-title'))).toBe('Broadcast ended');
  expect(text($(page, '.replay-link'))).toBe(fx.replayUrl(ROOM, fx.BROADCAST));
});

test('a room that ends while watching is noticed by the viewer refresh', async () => {
  const page = await open();
  state(page, 2004);
  roomState = { status: 'live', viewers: 1500 };
  await until(() => text($(page, '.viewers')) === '1.5k watching', 'viewer count refresh');
  roomState.status = 'ended';
  await until(() => page.data.stage === 'ended', 'ended by refresh');
  // the player leaves the page with the live state, which stops it
  expect(page.querySelector('#player')).toBeUndefined();
  expect(text($(page, '.ended-title'))).toBe('Broadcast ended');
  page.instance.onUnload();
});

test('full screen turns sideways for a landscape picture (netstatus 1280×720); mute is bound; unknown rooms say so', async () => {
  const page = await open();
  player(page).dispatchEvent('netstatus', { detail: { info: { videoWidth: 1280, videoHeight: 720, videoFPS: 25 } } });
  page.querySelector('.fullscreen')!.dispatchEvent('tap');
  await until(() => count('requestFullScreen') === 1, 'requestFullScreen');
  expect(calls.find((c) => c.method === 'requestFullScreen')!.arg).toEqual({ direction: 90 });
  player(page).dispatchEvent('fullscreenchange', { detail: { fullScreen: true, direction: 'horizontal' } });
  await until(() => page.data.fullScreen, 'fullscreen state');
  page.querySelector('.fullscreen')!.dispatchEvent('tap');
  await until(() => count('exitFullScreen') === 1, 'exitFullScreen');
  expect(calls.find((c) => c.method === 'create')!.arg).toBe('player');

  page.querySelector('.mute')!.dispatchEvent('tap');
  await until(() => player(page).data.muted === true, 'muted');
  page.instance.onUnload();

  fake.on('GET /api/rooms/NOPE00000000', { status: 404, body: fx.roomNotFound('NOPE00000000') });
  const missing = renderPage('audience');
  await missing.instance.onLoad({ id: 'NOPE00000000' });
  expect(text($(missing, '.missing'))).toBe('This room does not exist.');
});

test('a network error shows retry, which loads the room', async () => {
  fake.on(`GET /api/rooms/${ROOM}`, { fail: 'request:fail timeout' }, { status: 200, body: { room: fx.room({ id: ROOM, title: 'Concert' }) } });
  const page = await open();
  expect(text($(page, '.error-state .error'))).toMatch(/did not answer/);
  page.querySelector('.retry')!.dispatchEvent('tap');
  await until(() => page.data.stage === 'watching', 'watching after retry');
  expect(player(page).data.src).toBe(fx.play(ROOM, 1).play.flv);
  page.instance.onUnload();
});

test('a room that has not started waits, then plays when the host goes live', async () => {
  roomState = { status: 'idle', viewers: 0 };
  const page = await open();
  expect(page.data.stage).toBe('offline');
  expect(text($(page, '.offline'))).toContain('The broadcast has not started yet');
  expect(playFetches).toBe(0);
  expect(player(page).data.src).toBe('');
  roomState = { status: 'live', viewers: 1 };
  await until(() => page.data.stage === 'watching', 'watching once live');
  expect(player(page).data.src).toBe(fx.play(ROOM, 1).play.flv);
  page.instance.onUnload();
});

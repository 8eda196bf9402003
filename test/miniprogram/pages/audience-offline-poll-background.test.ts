/** @jest-environment jsdom */
// the audience page's offline polling (host offline, waiting for the room to come back) is
// paused in onHide like the viewer refresh and retry timers, and onShow reads the room at once: a host who
// came back while the viewer was away is played as soon as the page shows, on the fresh play URL.
import { CONFIG } from '../../../miniprogram/config';
import { FakeWx } from '../helpers/fake-wx';
import * as fx from '../helpers/fixtures';
import { fire, renderPage, simWx, stubBuiltin, untilFake, useFakeWx, useLanguage, type SimComponent } from '../helpers/simulate';

stubBuiltin('live-player', { src: String, pictureInPictureMode: Array });
stubBuiltin('video', { src: String });

const ROOM = 'PPPPPPPPPPP4';
let fake: FakeWx;
let calls: string[];
let playFetches: number;
let roomStatus: 'live' | 'idle';
let page: SimComponent | null;

beforeEach(() => {
  useLanguage('en');
  fake = new FakeWx();
  useFakeWx(fake);
  calls = [];
  playFetches = 0;
  roomStatus = 'live';
  page = null;
  simWx().createLivePlayerContext = () => ({
    play: () => { calls.push(`play ${page!.querySelector('#player')!.data.src}`); },
    stop: () => { calls.push('stop'); },
    requestFullScreen: () => undefined,
    exitFullScreen: () => undefined,
  });
  simWx().setKeepScreenOn = () => undefined;
  simWx().getNetworkType = (o: { success: (r: { networkType: string }) => void }) => { setTimeout(() => o.success({ networkType: 'wifi' }), 0); };
  simWx().onNetworkStatusChange = () => undefined;
  simWx().offNetworkStatusChange = () => undefined;
  fake.on(`GET /api/rooms/${ROOM}`, () => ({ status: 200, body: { room: fx.room({ id: ROOM, status: roomStatus, viewers: 3 }) } }));
  fake.on(`GET /api/rooms/${ROOM}/play`, () => { playFetches += 1; return { status: 200, body: fx.play(ROOM, playFetches) }; });
});

afterEach(() => {
  jest.useRealTimers();
  page?.instance.onUnload();
});

const roomReads = () => fake.to(`/api/rooms/${ROOM}`).length;
const state = (code: number) => fire(page!.querySelector('#player')!, 'statechange', { code });

test('offline polling waits in the background; onShow reads the room at once and plays a host who came back', async () => {
  page = renderPage('audience');
  await page.instance.onLoad({ id: ROOM });
  await state(2004);
  jest.useFakeTimers();
  // the host is gone: the player gives up until the retry budget is spent, the page says the host is offline
  for (let i = 0; i <= CONFIG.playRetry.maxTries; i++) {
    await state(-2301);
    await jest.advanceTimersByTimeAsync(CONFIG.playRetry.maxMs + 1);
  }
  await untilFake(() => page!.data.stage === 'offline', 'offline');
  roomStatus = 'idle';
  const polled = roomReads();
  await jest.advanceTimersByTimeAsync(CONFIG.offlinePollMs);
  expect(roomReads()).toBeGreaterThan(polled); // polling while in front

  page.instance.onHide();
  const hidden = roomReads();
  const fetchesHidden = playFetches;
  roomStatus = 'live'; // the host comes back while the viewer is away
  await jest.advanceTimersByTimeAsync(CONFIG.offlinePollMs * 3 + CONFIG.viewerRefreshMs);
  expect(roomReads()).toBe(hidden);
  expect(playFetches).toBe(fetchesHidden);
  expect(page.data.stage).toBe('offline');

  calls = [];
  page.instance.onShow();
  await untilFake(() => page!.data.stage === 'watching' && calls.some((c) => c.startsWith('play ')), 'playing again');
  expect(roomReads()).toBeGreaterThan(hidden);
  expect(playFetches).toBe(fetchesHidden + 1);
  expect(calls[calls.length - 1]).toBe(`play ${fx.play(ROOM, fetchesHidden + 1).play.flv}`);
});

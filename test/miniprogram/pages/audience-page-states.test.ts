/** @jest-environment jsdom */
// Every live-player statechange code dispatched to the rendered audience page, with what the viewer sees and
// which player-context calls follow. Expectations come from the codes' official meanings (research.md, "WeChat
// live components"), not from lib/player-states: what the SDK recovers from itself leaves playback alone,
// -2301/-2302 re-fetch play URLs after a backoff and restart, 2006 asks the server whether the room ended.
import { CONFIG } from '../../../miniprogram/config';
import { PLAYER_STATES } from '../../../miniprogram/lib/player-states';
import { FakeWx, type Reply } from '../helpers/fake-wx';
import * as fx from '../helpers/fixtures';
import { $, fire, renderPage, simWx, stubBuiltin, text, untilFake, useFakeWx, type SimComponent, useLanguage } from '../helpers/simulate';

stubBuiltin('live-player', { src: String, mode: String, autoplay: Boolean });
stubBuiltin('video', { src: String });

const ROOM = 'PPPPPPPPPPP2';
let fake: FakeWx;
let calls: string[];
let playFetches: number;
let roomStatus: 'live' | 'ended';
let playReply: () => Reply;
let page: SimComponent | null;

beforeEach(() => {
  useLanguage('en'); // behaviour in English; the Chinese texts: *-zh.test.ts
  fake = new FakeWx();
  useFakeWx(fake);
  calls = [];
  playFetches = 0;
  roomStatus = 'live';
  page = null;
  playReply = () => (roomStatus === 'ended' ? { status: 409, body: fx.roomEnded(ROOM) } : { status: 200, body: fx.play(ROOM, playFetches) });
  const record = (method: string) => () => { calls.push(method); };
  simWx().createLivePlayerContext = () => ({ play: record('play'), stop: record('stop') });
  fake.on(`GET /api/rooms/${ROOM}`, () => ({ status: 200, body: { room: fx.room({ id: ROOM, status: roomStatus, viewers: 2 }) } }));
  fake.on(`GET /api/rooms/${ROOM}/play`, () => { playFetches += 1; return playReply(); });
});

afterEach(() => {
  jest.useRealTimers();
  page?.instance.onUnload();
});

const player = (p: SimComponent) => p.querySelector('#player')!;
const state = (p: SimComponent, code: number) => fire(player(p), 'statechange', { code });
const liveBadge = (p: SimComponent) => $(p, '.badge-live') !== null;
const tone = (p: SimComponent) => /tone-(\w+)/.exec($(p, '.status-line')!.getAttribute('class') ?? '')?.[1];
const roomChecks = () => fake.to(`/api/rooms/${ROOM}`).length;

/** The page opened on a live room and playing (2004); fake timers from here on. */
async function watching(): Promise<SimComponent> {
  const p = renderPage('audience');
  page = p;
  await p.instance.onLoad({ id: ROOM });
  expect(player(p).data.src).toBe(fx.play(ROOM, 1).play.flv);
  await state(p, 2004);
  jest.useFakeTimers();
  return p;
}

type Effect = 'info' | 'warning' | 'refetch';
interface Meaning { meaning: RegExp; effect: Effect; tone?: 'ok' | 'info' | 'warn'; keepsPlaying?: boolean }
const info = (meaning: RegExp): Meaning => ({ meaning, effect: 'info', tone: 'info', keepsPlaying: true });
const warning = (meaning: RegExp, keepsPlaying = true): Meaning => ({ meaning, effect: 'warning', tone: 'warn', keepsPlaying });

const OFFICIAL: Record<number, Meaning> = {
  2001: info(/connected/i),
  2002: info(/receiving|stream/i),
  2003: info(/first/i),
  // progress of a playing stream
  2005: { meaning: /playing/i, effect: 'info', tone: 'ok', keepsPlaying: true },
  2008: info(/decoder/i),
  2009: info(/resolution/i),
  2101: warning(/decode/i),
  2102: warning(/audio/i),
  2104: warning(/unstable/i),
  // after-the-fact stutter warning: playback goes on
  2105: warning(/stutter/i),
  2106: warning(/software/i),
  2107: warning(/dropped/i),
  2108: warning(/software|hardware/i),
  [-2301]: { meaning: /connection lost/i, effect: 'refetch' },
  [-2302]: { meaning: /could not load/i, effect: 'refetch' },
  // the SDK retries these itself (and sends -2301 once it gives up); 3004 is not documented for the player
  3001: warning(/address/i, false),
  3002: warning(/connect/i, false),
  3003: warning(/handshake/i, false),
  3004: warning(/closed/i, false),
  3005: warning(/read|write/i, false),
};

test('every code of the player table has an expectation here (and no more)', () => {
  // 2004, 2006, 2007 and 2103 change the page's own state and have tests of their own below
  const here = [...Object.keys(OFFICIAL), '2004', '2006', '2007', '2103'].map(Number).sort((a, b) => a - b);
  expect(Object.keys(PLAYER_STATES).map(Number).sort((a, b) => a - b)).toEqual(here);
});

test.each(Object.entries(OFFICIAL).filter(([, m]) => m.effect !== 'refetch'))(
  '%s: shown, and playback goes on untouched', async (code, m) => {
    const p = await watching();
    await state(p, Number(code));
    expect(text($(p, '.status'))).toMatch(m.meaning);
    expect(tone(p)).toBe(m.tone);
    if (m.keepsPlaying) expect(liveBadge(p)).toBe(true);
    await jest.advanceTimersByTimeAsync(CONFIG.playRetry.maxMs + 1);
    expect(calls).toEqual([]);
    expect(playFetches).toBe(1);
    expect(player(p).data.src).toBe(fx.play(ROOM, 1).play.flv);
    expect(p.data.stage).toBe('watching');
  });

test.each([-2301, -2302])('%s: the player gave up — play URLs fetched again after the backoff, then stop() and play() on the new src', async (code) => {
  const p = await watching();
  await state(p, code);
  // the page first asks whether the viewer's own network is there (wx.getNetworkType answers later)
  await untilFake(() => /retrying/i.test(text($(p, '.status'))), 'retrying');
  expect(tone(p)).toBe('error');
  expect(liveBadge(p)).toBe(false);
  const { baseMs, jitter } = CONFIG.playRetry;
  await jest.advanceTimersByTimeAsync(baseMs * (1 - jitter) - 1);
  expect(playFetches).toBe(1);
  expect(calls).toEqual([]);
  await jest.advanceTimersByTimeAsync(baseMs * jitter + 1);
  await untilFake(() => calls.length === 2, 'restart');
  expect(playFetches).toBe(2);
  expect(calls).toEqual(['stop', 'play']);
  expect(player(p).data.src).toBe(fx.play(ROOM, 2).play.flv);
  await state(p, 2004);
  expect(liveBadge(p)).toBe(true);
});

test('-2301 and the fresh play URLs are answered room_ended: "broadcast ended" with the replay', async () => {
  const p = await watching();
  roomStatus = 'ended';
  await state(p, -2301);
  await jest.advanceTimersByTimeAsync(CONFIG.playRetry.baseMs);
  await untilFake(() => p.data.stage === 'ended', 'ended');
  expect(text($(p, '.ended-title'))).toBe('Broadcast ended');
  expect(p.querySelector('.replay-video')!.data.src).toBe(fx.roomEnded(ROOM).error.replay);
  // the live-player leaves the page (which stops it); nothing plays again
  expect(p.querySelector('#player')).toBeUndefined();
  expect(calls).not.toContain('play');
});

test('2004: playing — the LIVE badge, no context call', async () => {
  const p = renderPage('audience');
  page = p;
  await p.instance.onLoad({ id: ROOM });
  expect(liveBadge(p)).toBe(false);
  await state(p, 2004);
  expect(liveBadge(p)).toBe(true);
  expect(text($(p, '.status'))).toMatch(/playing/i);
  expect(tone(p)).toBe('ok');
  expect(calls).toEqual([]);
});

test('2007: loading — the buffering indicator until 2004; no context call', async () => {
  const p = await watching();
  await state(p, 2007);
  expect(text($(p, '.buffering'))).toMatch(/buffering/i);
  await state(p, 2004);
  expect($(p, '.buffering')).toBeNull();
  expect(calls).toEqual([]);
});

test('2103: network lost, the SDK reconnects by itself — "reconnecting", no context call, no re-fetch', async () => {
  const p = await watching();
  await state(p, 2103);
  expect(text($(p, '.status'))).toMatch(/reconnecting/i);
  await jest.advanceTimersByTimeAsync(CONFIG.playRetry.maxMs + 1);
  expect(calls).toEqual([]);
  expect(playFetches).toBe(1);
});

test('2006: the stream ended and the server says the room ended — "broadcast ended" with the replay, player gone', async () => {
  const p = await watching();
  const checks = roomChecks();
  roomStatus = 'ended';
  await state(p, 2006);
  await untilFake(() => p.data.stage === 'ended', 'ended');
  expect(roomChecks()).toBe(checks + 1);
  expect(text($(p, '.ended-title'))).toBe('Broadcast ended');
  expect(p.querySelector('.replay-video')!.data.src).toBe(fx.roomEnded(ROOM).error.replay);
  // the live-player leaves the page (which stops it), and nothing is retried after the end
  expect(p.querySelector('#player')).toBeUndefined();
  await jest.advanceTimersByTimeAsync(CONFIG.playRetry.maxMs + 1);
  expect(calls).toEqual([]);
  expect(playFetches).toBe(2);
});

test('2006 while the server still says live — a failure to recover from: re-fetch after the backoff and play again', async () => {
  const p = await watching();
  const checks = roomChecks();
  await state(p, 2006);
  await untilFake(() => roomChecks() === checks + 1 && p.data.reconnecting, 'room checked');
  expect(p.data.stage).toBe('watching');
  expect(calls).toEqual([]);
  await jest.advanceTimersByTimeAsync(CONFIG.playRetry.baseMs);
  await untilFake(() => calls.length === 2, 'restart');
  expect(calls).toEqual(['stop', 'play']);
  expect(player(p).data.src).toBe(fx.play(ROOM, 2).play.flv);
});

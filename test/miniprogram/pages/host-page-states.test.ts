/** @jest-environment jsdom */
// Every live-pusher statechange code dispatched to the rendered host page, with what the host sees and which
// pusher-context calls follow. Expectations come from the codes' official meanings (research.md, "WeChat live
// components"), not from lib/pusher-states: a code the SDK recovers from by itself leaves the push alone, a
// failure stops it and says why, -1307 restarts with a fresh URL after a backoff, 3004 re-signs at once.
import { CONFIG } from '../../../miniprogram/config';
import { PUSHER_STATES } from '../../../miniprogram/lib/pusher-states';
import { FakeWx, type Reply } from '../helpers/fake-wx';
import * as fx from '../helpers/fixtures';
import { $, fire, renderPage, simWx, stubBuiltin, text, until, untilFake, useFakeWx, type SimComponent, useLanguage } from '../helpers/simulate';

stubBuiltin('live-pusher', { url: String, mode: String, autopush: Boolean });

const ROOM = 'HHHHHHHHHHH2';
let fake: FakeWx;
let calls: string[];
let screen: boolean[];
let tickets: number;
let ticketReply: () => Reply;

afterEach(() => { jest.useRealTimers(); });

beforeEach(() => {
  useLanguage('en'); // behaviour in English; the Chinese texts: *-zh.test.ts
  fake = new FakeWx();
  useFakeWx(fake);
  calls = [];
  screen = [];
  tickets = 0;
  ticketReply = () => ({ status: 200, body: { push: fx.push(ROOM, tickets + 1) } });
  const record = (method: string) => (arg?: { success?: () => void }) => { calls.push(method); setTimeout(() => arg?.success?.(), 0); };
  simWx().createLivePusherContext = () => ({ start: record('start'), stop: record('stop') });
  simWx().authorize = (o: { success: () => void }) => { setTimeout(() => o.success(), 0); };
  simWx().setKeepScreenOn = (o: { keepScreenOn: boolean }) => { screen.push(o.keepScreenOn); };
  fake.on('POST /api/auth/login', { status: 200, body: fx.login() });
  fake.on('POST /api/rooms', { status: 201, body: fx.created(ROOM, 'States') });
  fake.on(`POST /api/rooms/${ROOM}/push`, () => { tickets += 1; return ticketReply(); });
});

const pusher = (page: SimComponent) => page.querySelector('#pusher')!;
const state = (page: SimComponent, code: number) => fire(pusher(page), 'statechange', { code });
const liveBadge = (page: SimComponent) => $(page, '.badge-live') !== null;
const tone = (page: SimComponent) => /tone-(\w+)/.exec($(page, '.status-line')!.getAttribute('class') ?? '')?.[1];
const eventTone = (page: SimComponent) => /tone-(\w+)/.exec($(page, '.event')!.getAttribute('class') ?? '')?.[1];

/** A room created, Start pressed, the pusher publishing (1002); then fake timers from here on. */
async function publishing(): Promise<SimComponent> {
  const page = renderPage('host');
  await fire(page.querySelector('.title-input')!, 'input', { value: 'States' });
  await fire(page.querySelector('.create')!, 'tap');
  await until(() => page.data.stage === 'ready', 'room created');
  await fire(page.querySelector('.start')!, 'tap');
  await until(() => calls.includes('start'), 'start()');
  await state(page, 1002);
  jest.useFakeTimers();
  calls = [];
  return page;
}

/** What the SDK still does by itself: the page shows the news and keeps pushing. */
type Effect = 'info' | 'warning' | 'stop' | 'retry-after-backoff' | 're-sign';
interface Meaning { meaning: RegExp; effect: Effect; tone?: 'info' | 'warn' | 'error'; keepsLive?: boolean }

const info = (meaning: RegExp): Meaning => ({ meaning, effect: 'info', tone: 'info', keepsLive: true });
const warning = (meaning: RegExp, keepsLive = true): Meaning => ({ meaning, effect: 'warning', tone: 'warn', keepsLive });
const stop = (meaning: RegExp): Meaning => ({ meaning, effect: 'stop', tone: 'error' });

const OFFICIAL: Record<number, Meaning> = {
  1001: { meaning: /connected/i, effect: 'info', tone: 'info' },
  1003: info(/camera/i),
  1004: info(/screen/i),
  1005: info(/resolution/i),
  1006: info(/bitrate/i),
  1007: info(/first frame/i),
  1008: info(/encoder/i),
  1103: warning(/software/i),
  1104: warning(/encod/i),
  1105: warning(/encod/i),
  1106: warning(/encod/i),
  [-1301]: stop(/camera/i),
  [-1302]: stop(/microphone/i),
  [-1303]: stop(/video encoding/i),
  [-1304]: stop(/audio encoding/i),
  [-1305]: stop(/resolution/i),
  [-1306]: stop(/sample rate/i),
  [-1307]: { meaning: /connection lost/i, effect: 'retry-after-backoff', tone: 'error' },
  [-1308]: stop(/screen/i),
  [-1309]: stop(/android/i),
  [-1310]: stop(/screen/i),
  [-1311]: stop(/microphone/i),
  [-1312]: warning(/rotate/i),
  // the SDK retries these itself (and sends -1307 once it gives up); whether it is still live is not said
  3001: warning(/address/i, false),
  3002: warning(/connect/i, false),
  3003: warning(/handshake/i, false),
  3004: { meaning: /closed|expired|sign/i, effect: 're-sign' },
  3005: warning(/read|write/i, false),
};

test('every code of the pusher table has an expectation here (and no more)', () => {
  // 1002, 1101, 1102 and 5000 change the page's own state and have tests of their own below
  const here = [...Object.keys(OFFICIAL), '1002', '1101', '1102', '5000'].map(Number).sort((a, b) => a - b);
  expect(Object.keys(PUSHER_STATES).map(Number).sort((a, b) => a - b)).toEqual(here);
});

test.each(Object.entries(OFFICIAL).filter(([, m]) => m.effect === 'info' || m.effect === 'warning'))(
  '%s: shown beside the status, which still says "Live", and the push goes on untouched', async (code, m) => {
    const page = await publishing();
    await state(page, Number(code));
    expect(text($(page, '.event'))).toMatch(m.meaning);
    expect(eventTone(page)).toBe(m.tone);
    // news of the SDK never overwrites the main status
    expect(text($(page, '.status'))).toBe('Live');
    expect(tone(page)).toBe('ok');
    expect(liveBadge(page)).toBe(true);
    await jest.advanceTimersByTimeAsync(CONFIG.pushRetry.maxMs + 1);
    expect(calls).toEqual([]);
    expect(tickets).toBe(0);
    expect(page.data.pushing).toBe(true);
    expect($(page, '.stop')).not.toBeNull();
    expect($(page, '.failure')).toBeNull();
  });

test.each(Object.entries(OFFICIAL).filter(([, m]) => m.effect === 'stop'))(
  '%s: the push stops, the host is told why and can start again', async (code, m) => {
    const page = await publishing();
    await state(page, Number(code));
    expect(calls).toEqual(['stop']);
    expect(text($(page, '.failure'))).toMatch(m.meaning);
    expect(text($(page, '.status'))).toMatch(m.meaning);
    expect(tone(page)).toBe('error');
    expect(liveBadge(page)).toBe(false);
    expect($(page, '.start')).not.toBeNull();
    expect(screen[screen.length - 1]).toBe(false);
    // a failure of the phone is not retried
    await jest.advanceTimersByTimeAsync(CONFIG.pushRetry.maxMs + 1);
    expect(calls).toEqual(['stop']);
    expect(tickets).toBe(0);
  });

test('1002: live — the LIVE badge, and no context call', async () => {
  const page = renderPage('host');
  await fire(page.querySelector('.title-input')!, 'input', { value: 'x' });
  await fire(page.querySelector('.create')!, 'tap');
  await until(() => page.data.stage === 'ready', 'room created');
  await fire(page.querySelector('.start')!, 'tap');
  await until(() => calls.includes('start'), 'start()');
  expect(liveBadge(page)).toBe(false);
  await state(page, 1002);
  expect(liveBadge(page)).toBe(true);
  expect(tone(page)).toBe('ok');
  expect(calls).toEqual(['start']);
});

test('1101: uplink too slow — the weak-network banner, still live, no context call', async () => {
  const page = await publishing();
  await state(page, 1101);
  expect(text($(page, '.weak-banner'))).toMatch(/weak network/i);
  expect(text($(page, '.event'))).toMatch(/slow|weak/i);
  expect(text($(page, '.status'))).toBe('Live');
  expect(liveBadge(page)).toBe(true);
  expect(calls).toEqual([]);
});

test('1102: network lost, the SDK reconnects by itself — "reconnecting", not live, no context call; 1002 brings LIVE back', async () => {
  const page = await publishing();
  await state(page, 1102);
  expect(text($(page, '.status'))).toMatch(/reconnecting/i);
  expect(liveBadge(page)).toBe(false);
  await jest.advanceTimersByTimeAsync(CONFIG.pushRetry.maxMs + 1);
  expect(calls).toEqual([]);
  expect(tickets).toBe(0);
  await state(page, 1002);
  expect(liveBadge(page)).toBe(true);
});

test('-1307: reconnects exhausted — a fresh push URL after the backoff, then stop() and start() on it', async () => {
  const page = await publishing();
  await state(page, Number(-1307));
  expect(text($(page, '.status'))).toMatch(OFFICIAL[-1307].meaning);
  expect(tone(page)).toBe('error');
  expect(liveBadge(page)).toBe(false);
  // nothing before the first backoff step (baseMs, shortened by up to the jitter share)…
  const { baseMs, jitter } = CONFIG.pushRetry;
  await jest.advanceTimersByTimeAsync(baseMs * (1 - jitter) - 1);
  expect(calls).toEqual([]);
  expect(tickets).toBe(0);
  // …then a fresh ticket and a restart on its URL
  await jest.advanceTimersByTimeAsync(baseMs * jitter + 1);
  await untilFake(() => calls.length === 2, 'restart');
  expect(tickets).toBe(1);
  expect(calls).toEqual(['stop', 'start']);
  expect(pusher(page).data.url).toBe(fx.push(ROOM, 2).url);
  await state(page, 1002);
  expect(liveBadge(page)).toBe(true);
});

test('3004: the server closed the connection (expired signature) — signs again at once and restarts on the new URL', async () => {
  const page = await publishing();
  await state(page, 3004);
  expect(text($(page, '.status'))).toMatch(OFFICIAL[3004].meaning);
  await untilFake(() => calls.length === 2, 'restart');
  expect(tickets).toBe(1);
  expect(calls).toEqual(['stop', 'start']);
  expect(pusher(page).data.url).toBe(fx.push(ROOM, 2).url);
  expect(page.data.pushing).toBe(true);
});

test.each([3004, -1307])('%s, and the fresh ticket is answered room_ended: the push stops with the server\'s reason, no restart', async (code) => {
  ticketReply = () => ({ status: 409, body: fx.pushRefused(ROOM) });
  const page = await publishing();
  await state(page, code);
  await jest.advanceTimersByTimeAsync(CONFIG.pushRetry.baseMs);
  await untilFake(() => page.data.failure !== '', 'failure');
  expect(tickets).toBe(1);
  expect(text($(page, '.failure'))).toBe(fx.pushRefused(ROOM).error.message);
  expect(calls).toEqual(['stop']);
  expect(page.data.pushing).toBe(false);
  expect($(page, '.start')).not.toBeNull();
  await jest.advanceTimersByTimeAsync(CONFIG.pushRetry.maxMs + 1);
  expect(tickets).toBe(1);
  expect(calls).toEqual(['stop']);
});

test.each([
  [10001, /camera/i],
  [10002, /microphone/i],
])('binderror %s: permission refused — stops and points to the settings', async (errCode, what) => {
  const page = await publishing();
  await fire(pusher(page), 'error', { errCode, errMsg: 'denied' });
  expect(calls).toEqual(['stop']);
  expect(text($(page, '.failure'))).toMatch(what);
  expect(text($(page, '.permission'))).toMatch(what);
  expect($(page, '.open-settings')).not.toBeNull();
});

test('an unknown code (4998) is shown as news; "Live" stays', async () => {
  const page = await publishing();
  await state(page, 4998);
  expect(text($(page, '.event'))).toBe('Pusher event 4998');
  expect(text($(page, '.status'))).toBe('Live');
  expect(liveBadge(page)).toBe(true);
  expect(calls).toEqual([]);
});

test('5000: WeChat suspended the mini-program — the push is stopped, not LIVE, the host is told; nothing retried meanwhile', async () => {
  const page = await publishing();
  await state(page, 5000);
  expect(calls).toEqual(['stop']);
  expect(liveBadge(page)).toBe(false);
  expect(text($(page, '.status'))).toMatch(/suspended/i);
  expect(tone(page)).toBe('error');
  expect(text($(page, '.failure'))).toMatch(/suspended/i);
  await jest.advanceTimersByTimeAsync(CONFIG.pushRetry.maxMs + 1);
  expect(calls).toEqual(['stop']);
  expect(tickets).toBe(0);
});

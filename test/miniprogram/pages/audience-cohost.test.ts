/** @jest-environment jsdom */
// The audience page's co-hosting (连麦) over a scripted wx.request and wx.connectSocket: "Join the host" →
// camera + microphone prompts → `cohost_request`; waiting with cancel (`cohost_leave`); the host not answering
// (declined) ends the wait; listed in `cohosts` → POST cohosts/push → a live-pusher mode="RTC" with the ticket;
// removed from the line-up → the pusher stops with a notice; pusher codes on the RTC pusher (-1307 retry with a
// fresh ticket, 3004 re-sign once, -1301 device failure, 5000 then onShow); guests as small windows following
// `cohosts` frames and `play.guests`, plain FLV for the audience and `&latency=low` once on air.
import type { PlayResponse } from '../../../typings/api';
import { COHOST_REQUEST_TTL_S, type CohostGuest, type GuestPlayUrls } from '../../../typings/cohost';
import { CONFIG } from '../../../miniprogram/config';
import { SESSION_KEY } from '../../../miniprogram/services/session';
import { FakeWx } from '../helpers/fake-wx';
import type { FakeSocket } from '../helpers/fake-socket';
import { hello } from '../helpers/chat-frames';
import * as fx from '../helpers/fixtures';
import { $, $$, fire, renderPage, simWx, stubBuiltin, text, until, useFakeWx, useLanguage, type SimComponent } from '../helpers/simulate';

stubBuiltin('live-player', { src: String, mode: String, autoplay: Boolean, muted: Boolean, minCache: Number, maxCache: Number });
stubBuiltin('live-pusher', { url: String, mode: String, autopush: Boolean });
stubBuiltin('video', { src: String, controls: Boolean, autoplay: Boolean });
stubBuiltin('input', { type: String, value: String, maxlength: Number, placeholder: String });

CONFIG.chatRetry = { baseMs: 20, factor: 2, maxMs: 80, maxTries: 5, jitter: 0 };
CONFIG.pushRetry = { baseMs: 20, factor: 2, maxMs: 80, maxTries: 2, jitter: 0 };
CONFIG.playRetry = { baseMs: 20, factor: 2, maxMs: 80, maxTries: 3, jitter: 0 };
CONFIG.viewerRefreshMs = 60_000;
const SHIPPED_WAIT_MS = CONFIG.cohostWaitMs;

const ROOM = 'CCCCCCCCCCC7';
const ME = fx.HOST.user; // the stored session's user (a viewer here)
const ANA = { id: 'user-ana', nickname: 'Ana' };
const BO = { id: 'user-bo', nickname: 'Bo' };
const guestUrls = (slot: 'g1' | 'g2' | 'g3', user: { id: string; nickname: string }): GuestPlayUrls => ({
  slot, user, flv: `http://127.0.0.1:8080/live/${ROOM}~${slot}.flv?sign=s-${slot}`, rtmp: `rtmp://127.0.0.1:1935/live/${ROOM}~${slot}?sign=s-${slot}`,
  hls: `http://127.0.0.1:8080/hls/${ROOM}~${slot}/index.m3u8?sign=s-${slot}`,
});

let fake: FakeWx;
let guests: GuestPlayUrls[];
let calls: string[];
let refused: string | null;
let tickets: number;

beforeEach(() => {
  useLanguage('en');
  fake = new FakeWx();
  useFakeWx(fake);
  guests = [];
  calls = [];
  refused = null;
  tickets = 0;
  CONFIG.cohostWaitMs = SHIPPED_WAIT_MS;
  const rec = (m: string) => (o?: { success?: () => void }) => { calls.push(m); setTimeout(() => o?.success?.(), 0); };
  simWx().createLivePlayerContext = (id: string) => ({ play: rec(`play ${id}`), stop: rec(`stop ${id}`), requestFullScreen() {}, exitFullScreen() {} });
  simWx().createLivePusherContext = () => ({ start: rec('push start'), stop: rec('push stop') });
  simWx().authorize = (o: { scope: string; success: () => void; fail: () => void }) => {
    setTimeout(() => (o.scope === refused ? o.fail() : o.success()), 0);
  };
  simWx().openSetting = () => { calls.push('openSetting'); };
  fake.on(`GET /api/rooms/${ROOM}`, { status: 200, body: { room: fx.room({ id: ROOM, title: 'Concert', status: 'live', viewers: 3 }) } });
  fake.on(`GET /api/rooms/${ROOM}/play`, () => {
    const body: PlayResponse = fx.play(ROOM);
    return { status: 200, body: { play: { ...body.play, guests } } };
  });
  fake.on(`POST /api/rooms/${ROOM}/cohosts/push`, () => {
    tickets += 1;
    return { status: 200, body: { push: fx.push(`${ROOM}~g2`, tickets), slot: 'g2' } };
  });
  const s = fx.loginAt(Math.floor(Date.now() / 1000) + 86400, 'tok-viewer');
  fake.storage.set(SESSION_KEY, { token: s.token, expiresAt: s.expiresAt, user: s.user });
});

async function open(initial: GuestPlayUrls[] = []): Promise<{ page: SimComponent; sock: FakeSocket }> {
  guests = initial;
  const page = renderPage('audience');
  await page.instance.onLoad({ id: ROOM });
  await until(() => fake.sockets.length === 1, 'socket');
  const sock = fake.socket!;
  sock.open();
  sock.frame(hello({ roomId: ROOM, you: ME }));
  await until(() => page.data.stage === 'watching' && !!$(page, '.join-host'), 'watching with the join button');
  return { page, sock };
}

const lineup = (...gs: CohostGuest[]) => ({ type: 'cohosts' as const, guests: gs });
const pusher = (page: SimComponent) => page.querySelector('#cohost-pusher')!;
const names = (page: SimComponent) => $$(page, '.guest-name').map((n) => text(n));

/** Join → request sent → the host accepts (we are listed) → on air with a started RTC pusher. */
async function onAir(page: SimComponent, sock: FakeSocket): Promise<void> {
  const requests = sock.of('cohost_request').length;
  const starts = calls.filter((c) => c === 'push start').length;
  await fire(page.querySelector('.join-host')!, 'tap');
  await until(() => sock.of('cohost_request').length === requests + 1 && page.data.cohost === 'waiting', 'cohost_request');
  sock.frame(lineup({ slot: 'g2', user: ME }));
  await until(() => calls.filter((c) => c === 'push start').length === starts + 1, 'the RTC pusher started');
}

test('join: prompts, request, waiting with cancel; accepted → RTC pusher with the slot ticket; leave', async () => {
  const { page, sock } = await open();
  expect(text($(page, '.join-host'))).toBe('Join the host');
  await fire(page.querySelector('.join-host')!, 'tap');
  await until(() => page.data.cohost === 'waiting', 'waiting');
  expect(sock.of('cohost_request')).toEqual([{ type: 'cohost_request' }]);
  expect(text($(page, '.cohost-status'))).toBe('Request sent; waiting for the host…');
  await fire(page.querySelector('.cancel-join')!, 'tap');
  expect(sock.of('cohost_leave')).toHaveLength(1);
  await until(() => !!$(page, '.join-host'), 'the join button again');

  await onAir(page, sock);
  const p = pusher(page);
  expect(p.data.mode).toBe('RTC');
  expect(p.data.url).toBe(fx.push(`${ROOM}~g2`, 1).url);
  expect(fake.to(`/api/rooms/${ROOM}/cohosts/push`)[0].header.Authorization).toBe('Bearer tok-viewer');
  await fire(p, 'statechange', { code: 1002 });
  await until(() => text($(page, '.cohost-status')) === 'On air with the host', 'on air');
  // my own slot is the pusher, not a player
  expect($$(page, '.guest-tile')).toHaveLength(1);
  await fire(page.querySelector('.leave-host')!, 'tap');
  expect(sock.of('cohost_leave')).toHaveLength(2);
  await until(() => !page.querySelector('#cohost-pusher') && calls.includes('push stop'), 'pusher stopped and gone');
  expect(text($(page, '.chat-notice'))).toBe('You left the host');
  page.instance.onUnload();
});

test('a refused camera or microphone prompt sends no request and says how to allow it', async () => {
  const { page, sock } = await open();
  for (const [scope, hint] of [['scope.camera', 'camera'], ['scope.record', 'microphone']] as const) {
    refused = scope;
    await fire(page.querySelector('.join-host')!, 'tap');
    await until(() => text($(page, '.cohost-hint')).includes(hint), `${scope} hint`);
    expect(page.data.cohost).toBe('none');
  }
  await fire(page.querySelector('.cohost-settings')!, 'tap');
  expect(calls).toContain('openSetting');
  expect(sock.of('cohost_request')).toHaveLength(0);
  page.instance.onUnload();
});

test('the host declines (no answer before the request expires) or the line-up is full: back to the button', async () => {
  expect(SHIPPED_WAIT_MS).toBe(COHOST_REQUEST_TTL_S * 1000); // the client gives up when the server drops it
  CONFIG.cohostWaitMs = 150;
  const { page, sock } = await open();
  await fire(page.querySelector('.join-host')!, 'tap');
  await until(() => page.data.cohost === 'waiting', 'waiting');
  await until(() => text($(page, '.chat-notice')) === 'The host did not take you on this time', 'declined', 3000);
  expect(page.data.cohost).toBe('none');
  expect(sock.of('cohost_leave')).toHaveLength(1); // withdrawn cleanly
  expect(calls).not.toContain('push start');
  CONFIG.cohostWaitMs = 60_000;
  await fire(page.querySelector('.join-host')!, 'tap');
  await until(() => page.data.cohost === 'waiting', 'waiting again');
  sock.frame({ type: 'notice', code: 'cohost_full', message: 'full' });
  await until(() => page.data.cohost === 'none', 'full ends the wait');
  expect(text($(page, '.chat-notice'))).toBe('The host already has the most guests; try again later');
  page.instance.onUnload();
});

test('the server says the request was declined or expired: back to the button at once, with a toast in the page\'s language', async () => {
  const toasts: string[] = [];
  simWx().showToast = (o: { title: string }) => { toasts.push(o.title); };
  const { page, sock } = await open();
  await fire(page.querySelector('.join-host')!, 'tap');
  await until(() => page.data.cohost === 'waiting', 'waiting');
  sock.frame({ type: 'cohost_declined', reason: 'declined' });
  await until(() => page.data.cohost === 'none', 'declined ends the wait');
  expect([toasts, text($(page, '.chat-notice'))]).toEqual([['The host did not take you on this time'], 'The host did not take you on this time']);
  await fire(page.querySelector('.join-host')!, 'tap');
  await until(() => page.data.cohost === 'waiting', 'waiting again');
  sock.frame({ type: 'cohost_declined', reason: 'expired' });
  await until(() => page.data.cohost === 'none', 'expired ends the wait');
  expect(toasts.at(-1)).toBe('Your request expired: the host did not answer');
  sock.frame({ type: 'cohost_declined', reason: 'declined' }); // late, with no request pending: nothing happens
  await new Promise((r) => setTimeout(r, 50));
  expect(toasts).toHaveLength(2);
  page.instance.onUnload();
});

test('the host removes the guest: the pusher stops with a notice', async () => {
  const { page, sock } = await open();
  await onAir(page, sock);
  await fire(pusher(page), 'statechange', { code: 1002 });
  sock.frame(lineup({ slot: 'g1', user: ANA }));
  await until(() => page.data.cohost === 'none', 'off the air');
  expect(calls.filter((c) => c === 'push stop')).toHaveLength(1);
  expect(page.querySelector('#cohost-pusher')).toBeUndefined();
  expect(text($(page, '.chat-notice'))).toBe('The host ended your co-hosting');
  page.instance.onUnload();
});

test('RTC pusher codes: -1307 retries with a fresh ticket, gives up at the limit and leaves; 3004 re-signs once', async () => {
  const { page, sock } = await open();
  await onAir(page, sock);
  await fire(pusher(page), 'statechange', { code: -1307 });
  await until(() => tickets === 2 && calls.filter((c) => c === 'push start').length === 2, 'restart with ticket 2');
  expect(pusher(page).data.url).toBe(fx.push(`${ROOM}~g2`, 2).url);
  await fire(pusher(page), 'statechange', { code: 3004 });
  await until(() => tickets === 3, 're-signed');
  await fire(pusher(page), 'statechange', { code: 3004 }); // a second refusal this soon: give up
  await until(() => page.data.cohost === 'none', 'gave up');
  expect(text($(page, '.chat-notice'))).toBe('The server refused the co-host stream; co-hosting ended.');
  expect(sock.of('cohost_leave')).toHaveLength(1);

  await onAir(page, sock);
  for (let i = 0; i < 3; i++) {
    const before = tickets;
    await fire(pusher(page), 'statechange', { code: -1307 });
    if (i < 2) await until(() => tickets === before + 1, `retry ${i + 1}`);
  }
  await until(() => page.data.cohost === 'none', 'out of retries');
  expect(text($(page, '.chat-notice'))).toContain('Could not reconnect');
  page.instance.onUnload();
});

test('RTC pusher: a camera failure (-1301) ends co-hosting; 5000 waits for onShow and restarts there', async () => {
  const { page, sock } = await open();
  await onAir(page, sock);
  await fire(pusher(page), 'statechange', { code: 1002 });
  page.instance.onHide();
  await fire(pusher(page), 'statechange', { code: 5000 });
  expect(calls.filter((c) => c === 'push stop')).toHaveLength(1);
  const before = tickets;
  page.instance.onShow();
  await until(() => tickets === before + 1 && calls.filter((c) => c === 'push start').length === 2, 'restarted on show');
  await fire(pusher(page), 'statechange', { code: -1301 });
  await until(() => page.data.cohost === 'none', 'device failure ends it');
  expect(text($(page, '.chat-notice'))).toMatch(/^Co-hosting stopped: /);
  expect(text($(page, '.cohost-status'))).not.toBe('');
  page.instance.onUnload();
});

test('guests as small windows: play.guests first, then each cohosts frame; plain FLV for the audience, low latency once on air', async () => {
  const { page, sock } = await open([guestUrls('g1', ANA)]);
  await until(() => names(page).length === 1, 'the window from play.guests');
  expect(names(page)).toEqual(['Ana']);
  const g1 = page.querySelector('#guest-g1')!;
  expect(g1.data).toMatchObject({ mode: 'RTC', src: guestUrls('g1', ANA).flv, minCache: 0.1, maxCache: 0.3 });

  // Bo joins: a frame names him, his URL comes from a fresh GET play
  guests = [guestUrls('g1', ANA), guestUrls('g3', BO)];
  const plays = fake.to(`/api/rooms/${ROOM}/play`).length;
  sock.frame(lineup({ slot: 'g1', user: ANA }, { slot: 'g3', user: BO }));
  await until(() => !!page.querySelector('#guest-g3'), 'Bo\'s window');
  expect(names(page)).toEqual(['Ana', 'Bo']);
  expect(fake.to(`/api/rooms/${ROOM}/play`).length).toBe(plays + 1);

  // a guest's player gives up: the window says so and re-fetches after the backoff, then restarts its player
  await fire(page.querySelector('#guest-g3')!, 'statechange', { code: -2301 });
  await until(() => calls.includes('stop guest-g3') && calls.includes('play guest-g3'), 'guest player restarted');
  await fire(page.querySelector('#guest-g3')!, 'statechange', { code: 2004 });
  await until(() => !$$(page, '.guest-tile')[1].querySelector('.main--guest-status'), 'playing: no status');

  // Ana leaves: her window goes
  guests = [guestUrls('g3', BO)];
  sock.frame(lineup({ slot: 'g3', user: BO }));
  await until(() => names(page).join() === 'Bo', 'Ana gone');

  // on air ourselves: the others come on the low-latency path
  await fire(page.querySelector('.join-host')!, 'tap');
  await until(() => sock.of('cohost_request').length === 1, 'request');
  sock.frame(lineup({ slot: 'g2', user: ME }, { slot: 'g3', user: BO }));
  await until(() => page.data.cohost === 'on', 'on air');
  await until(() => String(page.querySelector('#guest-g3')?.data.src).endsWith('&latency=low'), 'low latency');
  expect(names(page)).toEqual(['On air with the host', 'Bo']);
  // and the host's picture: the main player restarts on the low-latency path in RTC mode
  await until(() => String(page.querySelector('#player')!.data.src).endsWith('&latency=low'), 'host on low latency');
  expect(page.querySelector('#player')!.data).toMatchObject({ mode: 'RTC', minCache: 0.1, maxCache: 0.3 });
  await fire(page.querySelector('.leave-host')!, 'tap');
  await until(() => page.querySelector('#player')!.data.mode === 'live' && !String(page.querySelector('#player')!.data.src).includes('latency'), 'back to the audience path');
  expect(page.querySelector('#guest-g3')!.data.src).toBe(guestUrls('g3', BO).flv);
  page.instance.onUnload();
});

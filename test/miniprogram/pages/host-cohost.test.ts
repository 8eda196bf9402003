/** @jest-environment jsdom */
// The host page's co-hosting (连麦) over a scripted wx.request and wx.connectSocket: `cohost_requests` frames
// list the requests with accept / decline (POST / DELETE cohosts, the answer updating both lists), a full
// line-up refused with the message table's text, guests in small RTC players (`&latency=low`, min-cache 0.1,
// max-cache 0.3) with their names and a remove button each, line-up frames updating the windows, and a guest
// player's codes (-2301 re-fetch with backoff and restart, then "video lost" when out of tries).
import type { CohostsResponse, GuestPlayUrls } from '../../../typings/cohost';
import { CONFIG } from '../../../miniprogram/config';
import { FakeWx, type RecordedRequest } from '../helpers/fake-wx';
import type { FakeSocket } from '../helpers/fake-socket';
import { hello } from '../helpers/chat-frames';
import * as fx from '../helpers/fixtures';
import { $, $$, fire, renderPage, simWx, stubBuiltin, text, until, useFakeWx, useLanguage, type SimComponent } from '../helpers/simulate';

stubBuiltin('live-pusher', { url: String, mode: String, autopush: Boolean });
stubBuiltin('live-player', { src: String, mode: String, autoplay: Boolean, minCache: Number, maxCache: Number });

CONFIG.playRetry = { baseMs: 20, factor: 2, maxMs: 80, maxTries: 2, jitter: 0 };

const ROOM = 'HHHHHHHHHHH7';
const ANA = { id: 'user-ana', nickname: 'Ana' };
const BO = { id: 'user-bo', nickname: 'Bo' };
const CY = { id: 'user-cy', nickname: 'Cy' };
const at = '2026-11-25T12:00:00.000Z';
const guestUrls = (slot: 'g1' | 'g2' | 'g3', user: { id: string; nickname: string }): GuestPlayUrls => ({
  slot, user, flv: `http://127.0.0.1:8080/live/${ROOM}~${slot}.flv?sign=s-${slot}`, rtmp: `rtmp://127.0.0.1:1935/live/${ROOM}~${slot}?sign=s-${slot}`,
  hls: `http://127.0.0.1:8080/hls/${ROOM}~${slot}/index.m3u8?sign=s-${slot}`,
});

let fake: FakeWx;
let guests: GuestPlayUrls[];
let calls: string[];

beforeEach(() => {
  useLanguage('en');
  fake = new FakeWx();
  useFakeWx(fake);
  guests = [];
  calls = [];
  const rec = (m: string) => (o?: { success?: () => void }) => { calls.push(m); setTimeout(() => o?.success?.(), 0); };
  simWx().createLivePusherContext = () => ({ start: rec('start'), stop: rec('stop'), startPreview() {} });
  simWx().createLivePlayerContext = (id: string) => ({ play: rec(`play ${id}`), stop: rec(`stop ${id}`) });
  fake.on('POST /api/auth/login', { status: 200, body: fx.loginAt(Math.floor(Date.now() / 1000) + 86400, 'host-token') });
  fake.on('POST /api/rooms', { status: 201, body: fx.created(ROOM, 'My show') });
  fake.on(`GET /api/rooms/${ROOM}/play`, () => ({ status: 200, body: { play: { ...fx.play(ROOM).play, guests } } }));
});

async function ready(): Promise<{ page: SimComponent; sock: FakeSocket }> {
  const page = renderPage('host');
  page.instance.setData({ title: 'My show' });
  await page.instance.onCreate();
  await until(() => fake.sockets.length === 1, 'socket');
  const sock = fake.socket!;
  sock.open();
  sock.frame(hello({ roomId: ROOM, you: fx.HOST.user }));
  sock.frame({ type: 'cohosts', guests: [] });
  sock.frame({ type: 'cohost_requests', requests: [] });
  await until(() => !!$(page, '.no-requests'), 'the empty request list');
  return { page, sock };
}

const requestNames = (page: SimComponent) => $$(page, '.request-name').map((n) => text(n));
const guestNames = (page: SimComponent) => $$(page, '.guest-name').map((n) => text(n));
const answer = (body: CohostsResponse) => ({ status: 200, body });

test('requests: accept puts the guest in a small low-latency RTC player; decline drops the request', async () => {
  const { page, sock } = await ready();
  expect(text($(page, '.no-requests'))).toBe('No requests to join');
  sock.frame({ type: 'cohost_requests', requests: [{ user: ANA, at }, { user: BO, at }] });
  await until(() => requestNames(page).length === 2, 'two requests');
  expect(requestNames(page)).toEqual(['Ana', 'Bo']);

  let accepted: RecordedRequest | null = null;
  fake.on(`POST /api/rooms/${ROOM}/cohosts`, (req) => {
    accepted = req;
    guests = [guestUrls('g1', ANA)];
    return answer({ guests: [{ slot: 'g1', user: ANA }], requests: [{ user: BO, at }] });
  });
  await fire(page.querySelectorAll('.accept-cohost')[0], 'tap');
  await until(() => !!page.querySelector('#guest-g1'), 'Ana\'s window');
  expect(accepted!.data).toEqual({ userId: ANA.id });
  expect(accepted!.header.Authorization).toBe('Bearer host-token');
  expect(requestNames(page)).toEqual(['Bo']);
  expect(guestNames(page)).toEqual(['Ana']);
  expect(page.querySelector('#guest-g1')!.data).toMatchObject({
    mode: 'RTC', src: `${guestUrls('g1', ANA).flv}&latency=low`, minCache: 0.1, maxCache: 0.3,
  });

  fake.on(`DELETE /api/rooms/${ROOM}/cohosts/${BO.id}`, answer({ guests: [{ slot: 'g1', user: ANA }], requests: [] }));
  await fire(page.querySelector('.decline-cohost')!, 'tap');
  await until(() => requestNames(page).length === 0, 'declined');
  expect(fake.to(`/api/rooms/${ROOM}/cohosts/${BO.id}`)).toHaveLength(1);
  expect(guestNames(page)).toEqual(['Ana']);
  page.instance.onUnload();
});

test('a full line-up is refused with the message table\'s text; the request stays', async () => {
  const { page, sock } = await ready();
  sock.frame({ type: 'cohost_requests', requests: [{ user: CY, at }] });
  await until(() => requestNames(page).length === 1, 'request');
  fake.on(`POST /api/rooms/${ROOM}/cohosts`, { status: 409, body: { error: { code: 'cohost_full', message: 'The line-up is full.' } } });
  await fire(page.querySelector('.accept-cohost')!, 'tap');
  await until(() => text($(page, '.chat-notice')) === 'The host already has the most guests; try again later', 'full');
  expect(requestNames(page)).toEqual(['Cy']);
  expect(page.data.cohostBusy).toBe('');
  page.instance.onUnload();
});

test('remove: DELETE for that guest; line-up frames add and drop windows', async () => {
  const { page, sock } = await ready();
  guests = [guestUrls('g1', ANA), guestUrls('g2', BO)];
  sock.frame({ type: 'cohosts', guests: [{ slot: 'g1', user: ANA }, { slot: 'g2', user: BO }] });
  await until(() => !!page.querySelector('#guest-g2'), 'two windows');
  expect(guestNames(page)).toEqual(['Ana', 'Bo']);
  fake.on(`DELETE /api/rooms/${ROOM}/cohosts/${BO.id}`, answer({ guests: [{ slot: 'g1', user: ANA }], requests: [] }));
  await fire(page.querySelectorAll('.remove-guest')[1], 'tap');
  await until(() => guestNames(page).join() === 'Ana', 'Bo removed');
  expect(fake.requests.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([`/api/rooms/${ROOM}/cohosts/${BO.id}`]);
  // Ana leaves by herself: the frame empties the strip
  sock.frame({ type: 'cohosts', guests: [] });
  await until(() => $$(page, '.guest-tile').length === 0, 'no windows');
  page.instance.onUnload();
});

test('guest player codes: -2301 re-fetches and restarts that player; out of tries it says the video is lost', async () => {
  const { page, sock } = await ready();
  guests = [guestUrls('g3', CY)];
  sock.frame({ type: 'cohosts', guests: [{ slot: 'g3', user: CY }] });
  await until(() => !!page.querySelector('#guest-g3'), 'window');
  const g3 = () => page.querySelector('#guest-g3')!;
  await fire(g3(), 'statechange', { code: 2004 });
  await until(() => !$(page, '.guest-status'), 'playing');
  const plays = fake.to(`/api/rooms/${ROOM}/play`).length;
  await fire(g3(), 'statechange', { code: -2301 });
  await until(() => text($(page, '.guest-status')) === 'Reconnecting…', 'retrying');
  await until(() => calls.includes('play guest-g3'), 'restarted');
  expect(fake.to(`/api/rooms/${ROOM}/play`).length).toBe(plays + 1);
  await fire(g3(), 'statechange', { code: -2301 });
  await until(() => calls.filter((c) => c === 'play guest-g3').length === 2, 'second restart');
  await fire(g3(), 'statechange', { code: -2301 });
  await until(() => text($(page, '.guest-status')) === 'Video lost', 'gave up');
  // a 2004 before a failure restores the budget and clears the status
  await fire(g3(), 'statechange', { code: 2004 });
  await until(() => !$(page, '.guest-status'), 'playing again');
  page.instance.onUnload();
});

/** @jest-environment jsdom */
// The home page in miniprogram-simulate: rooms from recorded API responses, empty and error states, retry,
// pull-down refresh, infinite scroll with the cursor, navigation.
import { FakeWx } from '../helpers/fake-wx';
import * as fx from '../helpers/fixtures';
import { $, $$, renderPage, simWx, stubBuiltin, text, until, useFakeWx, type SimComponent, useLanguage } from '../helpers/simulate';

// image stand-in so the bound cover URL is observable
stubBuiltin('image', { src: String, mode: String, lazyLoad: Boolean });

let fake: FakeWx;
let navigations: string[];
let stoppedRefresh: number;

beforeEach(() => {
  useLanguage('en'); // behaviour in English; the Chinese texts: *-zh.test.ts
  fake = new FakeWx();
  useFakeWx(fake);
  navigations = [];
  stoppedRefresh = 0;
  simWx().navigateTo = (o: { url: string }) => { navigations.push(o.url); };
  simWx().stopPullDownRefresh = () => { stoppedRefresh += 1; };
});

async function open(): Promise<SimComponent> {
  const page = renderPage('rooms');
  page.instance.onLoad();
  await until(() => !page.data.loading, 'first load');
  return page;
}

test('renders live rooms first with badge, cover and viewers; then upcoming rooms', async () => {
  fake.on('GET /api/rooms', (req) => {
    if (req.query.status === 'live') return { status: 200, body: fx.liveRooms };
    if (req.query.status === 'idle') return { status: 200, body: { rooms: [fx.room({ id: 'IIIIIIIIIII1', title: 'Soon here', status: 'idle', startedAt: null })], nextCursor: null } };
    return { status: 200, body: fx.emptyList };
  });
  const page = await open();
  const cards = $$(page, '.room');
  expect(cards).toHaveLength(2);
  expect(text($(cards[0], '.title'))).toBe('Cooking with Mei');
  expect(text($(cards[0], '.badge'))).toBe('LIVE');
  expect(text($(cards[0], '.viewers'))).toBe('1.2k watching');
  expect(page.querySelectorAll('.cover')[0].data.src).toBe('https://img.example.com/a.jpg');
  expect(text($(cards[1], '.viewers'))).toBe('7 watching');
  expect(fake.requests[0].query).toEqual({ status: 'live', limit: '20' });

  // scrolling to the bottom goes on with the upcoming rooms
  await page.instance.onReachBottom();
  const all = $$(page, '.room');
  expect(all).toHaveLength(3);
  expect(text($(all[2], '.badge'))).toBe('Soon');
  expect(text($(all[2], '.viewers'))).toBe('');
});

test('infinite scroll sends the cursor of the previous page', async () => {
  const page2 = fx.cursorAfter(fx.liveRooms.rooms[1]);
  fake.on('GET /api/rooms', (req) => {
    if (req.query.status !== 'live') return { status: 200, body: fx.emptyList };
    return req.query.cursor === page2
      ? { status: 200, body: { rooms: [fx.room({ id: 'AAAAAAAAAAA3', title: 'Third' })], nextCursor: null } }
      : { status: 200, body: { ...fx.liveRooms, nextCursor: page2 } };
  });
  const page = await open();
  await page.instance.onReachBottom();
  expect(fake.requests[1].query).toEqual({ status: 'live', limit: '20', cursor: page2 });
  expect($$(page, '.room .title').map(text)).toEqual(['Cooking with Mei', 'Late night guitar', 'Third']);
});

test('shows the empty state when no room exists anywhere', async () => {
  fake.on('GET /api/rooms', { status: 200, body: fx.emptyList });
  const page = await open();
  expect($$(page, '.room')).toHaveLength(0);
  expect(text($(page, '.empty-state'))).toContain('Nobody is live right now.');
  // one request per phase: live, idle, ended
  expect(fake.requests.map((r) => r.query.status)).toEqual(['live', 'idle', 'ended']);
});

test('shows the error state and retry loads again', async () => {
  fake.on('GET /api/rooms', { fail: 'request:fail timeout' }, { status: 200, body: fx.liveRooms });
  const page = await open();
  expect(text($(page, '.error-state'))).toContain('did not answer within 10 s');
  expect($$(page, '.room')).toHaveLength(0);

  page.querySelector('.retry')!.dispatchEvent('tap');
  await until(() => $$(page, '.room').length === 2, 'rooms after retry');
  expect($(page, '.error-state')).toBeNull();
});

test('an API error body is shown as its message', async () => {
  fake.on('GET /api/rooms', { status: 429, body: { error: { code: 'rate_limited', message: 'Slow down a little.' } } });
  const page = await open();
  expect(text($(page, '.error-state .error'))).toBe('Slow down a little.');
});

test('pull-down refresh reloads from the first page and stops the spinner', async () => {
  fake.on('GET /api/rooms', { status: 200, body: fx.liveRooms },
    { status: 200, body: { rooms: [fx.room({ id: 'NNNNNNNNNNN1', title: 'Fresh' })], nextCursor: null } });
  const page = await open();
  await page.instance.onPullDownRefresh();
  expect(stoppedRefresh).toBe(1);
  expect($$(page, '.room .title').map(text)).toEqual(['Fresh']);
  expect(fake.requests[1].query.cursor).toBeUndefined();
});

test('tapping a room opens the audience page; the button opens the host page', async () => {
  fake.on('GET /api/rooms', { status: 200, body: fx.liveRooms });
  const page = await open();
  page.querySelectorAll('.room')[1].dispatchEvent('tap');
  page.querySelector('.start')!.dispatchEvent('tap');
  await until(() => navigations.length === 2, 'navigations');
  expect(navigations).toEqual(['/pages/audience/index?id=AAAAAAAAAAA2', '/pages/host/index']);
});

test('a room with a cover shows it, one without shows the plain tile; a cover that fails to load falls back to the tile', async () => {
  const uploaded = 'http://127.0.0.1:8080/api/rooms/AAAAAAAAAAA1/cover?v=3f2a';
  fake.on('GET /api/rooms', (req) => (req.query.status === 'live'
    ? { status: 200, body: { rooms: [fx.room({ id: 'AAAAAAAAAAA1', cover: uploaded }), fx.room({ id: 'AAAAAAAAAAA2' })], nextCursor: null } }
    : { status: 200, body: fx.emptyList }));
  const page = await open();
  const cards = $$(page, '.room');
  expect(page.querySelectorAll('.cover')[0].data.src).toBe(uploaded);
  expect($(cards[0], '.cover-blank')).toBeNull();
  expect($(cards[1], '.cover-blank')).not.toBeNull();
  page.querySelectorAll('.cover')[0].dispatchEvent('error', { detail: { errMsg: 'GET 403' } });
  await until(() => page.data.rooms[0].cover === '', 'cover dropped');
  expect($($$(page, '.room')[0], '.cover-blank')).not.toBeNull();
});

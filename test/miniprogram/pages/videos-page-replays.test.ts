/** @jest-environment jsdom */
// The Videos page opened with ?roomId= (a room's replays): the list from GET /api/rooms/:id/replays, the bar
// naming the room, a replay's HLS then its MP4 in the <video>, a signed-in host's token sent (hidden replays
// marked), empty and missing-room states; and the two ways in: the rooms list and an ended room.
import { CONFIG } from '../../../miniprogram/config';
import { FakeWx } from '../helpers/fake-wx';
import * as fx from '../helpers/fixtures';
import { $, $$, fire, renderPage, simWx, stubBuiltin, text, until, useFakeWx, useLanguage, type SimComponent } from '../helpers/simulate';
import * as vx from './videos-fixtures';

stubBuiltin('video', { src: String, title: String });
stubBuiltin('live-player', { src: String });
stubBuiltin('image', { src: String });

const ROOM = 'RRRRRRRRRRR1';
let fake: FakeWx;
let titles: string[];
let navigations: string[];
const pages: SimComponent[] = [];

beforeEach(() => {
  useLanguage('en');
  fake = new FakeWx();
  useFakeWx(fake);
  titles = [];
  navigations = [];
  simWx().setNavigationBarTitle = (o: { title: string }) => { titles.push(o.title); };
  simWx().navigateTo = (o: { url: string }) => { navigations.push(o.url); };
  simWx().createVideoContext = () => ({ play: () => undefined, pause: () => undefined, stop: () => undefined });
  simWx().createLivePlayerContext = () => ({ play: () => undefined, stop: () => undefined });
  fake.on(`GET /api/rooms/${ROOM}`, { status: 200, body: { room: fx.room({ id: ROOM, title: 'Guitar night', status: 'ended' }) } });
});
afterEach(() => { while (pages.length) pages.pop()!.instance.onUnload?.(); });

async function open(query: Record<string, string>, page = 'videos'): Promise<SimComponent> {
  const p = renderPage(page);
  pages.push(p);
  await p.instance.onLoad(query);
  return p;
}

test('?roomId= lists that room\'s replays, the bar names the room; a tap plays the replay\'s HLS, an error its MP4', async () => {
  const newer = vx.replay(ROOM, 'BBBBBBBBBB02', { title: 'Guitar night', durationS: 3725 });
  const older = vx.replay(ROOM, 'BBBBBBBBBB01', { title: 'Guitar night', durationS: 65, endedAt: '2025-01-02T03:04:00.000Z' });
  fake.on(`GET /api/rooms/${ROOM}/replays`, { status: 200, body: { replays: [newer, older] } });
  const p = await open({ roomId: ROOM });
  await until(() => titles.length === 2, 'room title');
  expect(titles).toEqual(['Replays', 'Replays · Guitar night']);
  expect($$(p, '.row .duration').map(text)).toEqual(['1:02:05', '1:05']);
  expect(text($$(p, '.row .note')[1])).toMatch(/^2 Jan 2025 \d\d:\d\d$/);
  expect(fake.requests.filter((r) => r.path.startsWith('/api/videos'))).toEqual([]);
  // nobody is made to sign in to see a public list
  expect(fake.logins).toBe(0);
  expect(fake.to(`/api/rooms/${ROOM}/replays`)[0].header.Authorization).toBeUndefined();

  await fire(p.querySelectorAll('.row')[1], 'tap');
  await until(() => p.querySelector('#vod') !== undefined, 'video shown');
  expect(p.querySelector('#vod')!.data.src).toBe(older.hls);
  await fire(p.querySelector('#vod')!, 'error', { errMsg: 'x' });
  expect(p.querySelector('#vod')!.data.src).toBe(older.mp4);
});

test('a signed-in host\'s token goes with the list: hidden replays come marked; a token the server refuses is dropped', async () => {
  fake.storage.set('wxlive.session', fx.loginAt(Math.floor(Date.now() / 1000) + 86400, 'host-token'));
  const hidden = vx.replay(ROOM, 'BBBBBBBBBB03', { public: false, hls: `${vx.BASE}/replay/${ROOM}/BBBBBBBBBB03/index.m3u8?expires=1&sign=s` });
  fake.on(`GET /api/rooms/${ROOM}/replays`, (req) => (req.header.Authorization === 'Bearer host-token'
    ? { status: 200, body: { replays: [hidden] } } : { status: 200, body: { replays: [] } }));
  const p = await open({ roomId: ROOM });
  expect(text($(p, '.row .note'))).toMatch(/ · Hidden$/);

  fake.on(`GET /api/rooms/${ROOM}/replays`, (req) => (req.header.Authorization
    ? { status: 401, body: fx.unauthorized } : { status: 200, body: { replays: [] } }));
  await p.instance.onPullDownRefresh();
  expect([text($(p, '.empty-text')), text($(p, '.empty-hint'))]).toEqual(['This room has no replays yet.', 'Once a broadcast ends, its replay shows up here.']);
  expect(fake.storage.has('wxlive.session')).toBe(false);
  expect(fake.logins).toBe(0);
});

test('a room that does not exist shows the server\'s message and retry', async () => {
  fake.on('GET /api/rooms/NOSUCHROOM01', { status: 404, body: fx.roomNotFound('NOSUCHROOM01') });
  fake.on('GET /api/rooms/NOSUCHROOM01/replays', { status: 404, body: fx.roomNotFound('NOSUCHROOM01') });
  const p = await open({ roomId: 'NOSUCHROOM01' });
  expect(text($(p, '.error-state .error'))).toBe(fx.roomNotFound('NOSUCHROOM01').error.message);
  expect($(p, '.error-state .retry')).not.toBeNull();
  expect(titles).toEqual(['Replays']);
});

test('a relative URL (a proxy that rewrites them) is played on the API base, as <video> needs an absolute one', async () => {
  const rel = vx.replay(ROOM, 'BBBBBBBBBB04', { hls: `/replay/${ROOM}/BBBBBBBBBB04/index.m3u8`, mp4: `/replay/${ROOM}/BBBBBBBBBB04.mp4` });
  fake.on(`GET /api/rooms/${ROOM}/replays`, { status: 200, body: { replays: [rel] } });
  const p = await open({ roomId: ROOM });
  await fire(p.querySelectorAll('.row')[0], 'tap');
  await until(() => p.querySelector('#vod') !== undefined, 'video shown');
  expect(p.querySelector('#vod')!.data.src).toBe(`${CONFIG.apiBase}/replay/${ROOM}/BBBBBBBBBB04/index.m3u8`);
  await fire(p.querySelector('#vod')!, 'error', { errMsg: 'x' });
  expect(p.querySelector('#vod')!.data.src).toBe(`${CONFIG.apiBase}/replay/${ROOM}/BBBBBBBBBB04.mp4`);
});

test('the rooms list opens the library; an ended room opens its replays', async () => {
  fake.on('GET /api/rooms', { status: 200, body: fx.emptyList });
  const rooms = await open({}, 'rooms');
  await fire(rooms.querySelector('.videos')!, 'tap');
  expect(text($(rooms, '.videos'))).toBe('Videos');

  fake.on(`GET /api/rooms/${ROOM}/play`, { status: 409, body: fx.roomEnded(ROOM) });
  const audience = await open({ id: ROOM }, 'audience');
  await until(() => audience.data.stage === 'ended', 'ended');
  expect(text($(audience, '.open-replays'))).toBe('Watch replays');
  await fire(audience.querySelector('.open-replays')!, 'tap');
  expect(navigations).toEqual(['/pages/videos/index', `/pages/videos/index?roomId=${ROOM}`]);
});

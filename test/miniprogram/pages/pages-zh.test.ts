/** @jest-environment jsdom */
// Chinese first: with WeChat in Chinese (and when the language is unknown) every page shows Chinese, counts
// in 万, no English text left in the page; with WeChat in English the same pages speak English.
import { resetLocale } from '../../../miniprogram/lib/i18n';
import { FakeWx } from '../helpers/fake-wx';
import * as fx from '../helpers/fixtures';
import { $, $$, fire, renderPage, simWx, stubBuiltin, text, until, useFakeWx, useLanguage, type SimComponent } from '../helpers/simulate';

stubBuiltin('live-pusher', { url: String });
stubBuiltin('live-player', { src: String });
stubBuiltin('image', { src: String });

const ROOM = 'ZZZZZZZZZZZ1';
let fake: FakeWx;
let titles: string[];

beforeEach(() => {
  fake = new FakeWx();
  useFakeWx(fake);
  titles = [];
  simWx().setNavigationBarTitle = (o: { title: string }) => { titles.push(o.title); };
  simWx().createLivePusherContext = () => ({ start: () => undefined, stop: () => undefined });
  simWx().createLivePlayerContext = () => ({ play: () => undefined, stop: () => undefined });
  simWx().authorize = (o: { success: () => void }) => { setTimeout(() => o.success(), 0); };
  simWx().setKeepScreenOn = () => undefined;
  fake.on('POST /api/auth/login', { status: 200, body: fx.login() });
  fake.on('POST /api/rooms', { status: 201, body: fx.created(ROOM, '晚间吉他') });
  fake.on('GET /api/rooms', (req) => (req.query.status === 'live'
    ? { status: 200, body: { rooms: [fx.room({ id: 'ZZZZZZZZZZZ2', title: '做饭', viewers: 12345 })], nextCursor: null } }
    : { status: 200, body: fx.emptyList }));
  fake.on(`GET /api/rooms/${ROOM}`, { status: 200, body: { room: fx.room({ id: ROOM, title: '晚间吉他', status: 'idle' }) } });
});
afterAll(() => { resetLocale(); });

/** Latin words left in a page's text once URLs, ids and the words both languages share are taken out. */
function english(page: SimComponent): string[] {
  const shared = new Set(['OBS', 'Wi-Fi', 'RTMP', 'FLV', 'kbps', 'Mbps', 'fps']);
  const all = text(page.dom).replace(/\b(?:https?|rtmp):\/\/\S+/g, ' ').replace(/\b[A-Za-z0-9]{12}\b/g, ' ');
  return (all.match(/[A-Za-z][A-Za-z-]{2,}/g) ?? []).filter((w) => !shared.has(w));
}

async function hostReady(): Promise<SimComponent> {
  const page = renderPage('host');
  page.instance.onLoad();
  await fire(page.querySelector('.title-input')!, 'input', { value: '晚间吉他' });
  await fire(page.querySelector('.create')!, 'tap');
  await until(() => page.data.stage === 'ready', 'room created');
  return page;
}

test.each(['zh_CN', 'zh_TW', ''])('WeChat language "%s": the rooms list is Chinese, counts in 万', async (language) => {
  useLanguage(language);
  const page = renderPage('rooms');
  await page.instance.onLoad();
  expect(titles).toEqual(['直播间']);
  expect(text($(page, '.start'))).toBe('我要开播');
  const card = $$(page, '.room')[0];
  expect(text($(card, '.badge'))).toBe('直播中');
  expect(text($(card, '.viewers'))).toBe('1.2万人在看');
  expect(text($(card, '.note'))).toMatch(/^已直播 \d+:\d\d(:\d\d)?$/);
  await page.instance.onReachBottom();
  expect(text($(page, '.footer'))).toBe('已经到底了。');
  expect(english(page)).toEqual([]);
});

test('the host page in Chinese: form, ready state, controls, share and OBS texts, the LIVE status', async () => {
  useLanguage('zh_CN');
  const form = renderPage('host');
  expect(text($(form, '.create'))).toBe('创建直播间');
  expect(english(form)).toEqual([]);
  const page = await hostReady();
  expect(titles).toEqual(['开播']);
  expect(text($(page, '.status'))).toBe('准备好了，点“开始”即可开播。');
  expect(text($(page, '.start'))).toBe('开始');
  expect($$(page, '.mode').map(text)).toEqual(['标清', '高清', '超清']);
  expect(english(page)).toEqual([]);
  await fire(page.querySelector('.start')!, 'tap');
  await until(() => page.data.pushing, 'pushing');
  await fire(page.querySelector('#pusher')!, 'statechange', { code: 1002 });
  expect(text($(page, '.status'))).toBe('直播中');
  expect(text($(page, '.stop'))).toBe('停止');
});

test('the audience page in Chinese: not started yet, and the hint', async () => {
  useLanguage('zh_CN');
  const page = renderPage('audience');
  await page.instance.onLoad({ id: ROOM });
  expect(titles).toEqual(['直播']);
  expect(text($(page, '.offline'))).toBe('直播还没有开始主播一开播，画面会自动出现。');
  expect(english(page)).toEqual([]);
  page.instance.onUnload();
});

test('the same pages in English when WeChat is in English', async () => {
  useLanguage('en');
  const rooms = renderPage('rooms');
  await rooms.instance.onLoad();
  expect(text($(rooms, '.room .viewers'))).toBe('12k watching');
  expect(text($(rooms, '.start'))).toBe('Start broadcasting');
  const host = await hostReady();
  expect(text($(host, '.start'))).toBe('Start');
  expect(titles).toEqual(['Live rooms', 'Broadcast']);
});

// The front page (/) in Chromium with live ffmpeg publishers: live rooms with cover, title and viewers, recent
// replays (only ended rooms that left one), links to the watch pages, /admin and /api/docs, in Chinese and
// English, at phone and desktop sizes, with every request answered by this server.
import { plainJpeg } from '../api/cover-images';
import { DESKTOP, launchBrowser, PHONE, type TestBrowser } from '../helpers/browser';
import { killAll, type ChildHandle } from '../helpers/ffmpeg';
import { call, login } from '../helpers/http';
import { publishLive } from '../helpers/live';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { createRoom, endRoom, inPage, screenshot, visibleText } from './fixtures';

jest.setTimeout(120000);

let s: TestServer;
let browsers: Record<'zh-CN' | 'en', TestBrowser>;
const ids = { liveCovered: '', liveBare: '', replay: '', endedBare: '', idle: '' };
let cover = '';
const publishers: ChildHandle[] = [];
const viewer = new AbortController();

beforeAll(async () => {
  const [server, zh, en] = await Promise.all([startTestServer(), launchBrowser({ locale: 'zh-CN' }), launchBrowser({ locale: 'en-US' })]);
  s = server;
  browsers = { 'zh-CN': zh, en };
  // a broadcast that ended and left a replay
  const r = await createRoom(s, '昨晚的发布会 · Last night');
  ids.replay = r.room.id;
  const first = await publishLive(s.url, r.room.id, r.push.url, { size: '160x120', fps: 25, gop: 25, durationS: 30 }, 15000);
  await new Promise((done) => setTimeout(done, 2500)); // a segment or two for the recording
  await endRoom(s, r.room.id);
  await first.stop();
  // a room ended before it ever went live: no replay
  ids.endedBare = (await createRoom(s, 'Never aired')).room.id;
  await endRoom(s, ids.endedBare);
  ids.idle = (await createRoom(s, 'Not yet')).room.id;
  // two live rooms, one with a cover its host uploaded (served by this server), one without
  const a = await createRoom(s, '早间直播 · Morning show');
  ids.liveCovered = a.room.id;
  const token = await login(s.url, 'web-host');
  const up = await fetch(`${s.url}/api/rooms/${a.room.id}/cover`, {
    method: 'POST', headers: { 'content-type': 'image/jpeg', authorization: `Bearer ${token}` }, body: new Uint8Array(plainJpeg('640x360')),
  });
  expect(up.status).toBe(200);
  cover = ((await up.json()) as { room: { cover: string } }).room.cover;
  publishers.push(await publishLive(s.url, a.room.id, a.push.url, { size: '320x180', fps: 25, gop: 25, durationS: 110 }, 15000));
  const b = await createRoom(s, 'Bare stage');
  ids.liveBare = b.room.id;
  publishers.push(await publishLive(s.url, b.room.id, b.push.url, { size: '160x120', fps: 15, gop: 15, durationS: 110 }, 15000));
  // one HTTP-FLV viewer of the covered room
  const play = await call(s.url, 'GET', `/api/rooms/${a.room.id}/play`);
  void fetch(play.body.play.flv, { signal: viewer.signal }).then(async (res) => {
    const reader = res.body!.getReader();
    while (!(await reader.read()).done) { /* drain */ }
  }).catch(() => {});
  await new Promise((done) => setTimeout(done, 1500)); // the viewer counted
}, 100000);
afterAll(async () => {
  viewer.abort();
  await Promise.all(publishers.map((p) => p.stop()));
  await killAll();
  await Promise.all(Object.values(browsers ?? {}).map((b) => b.close()));
  await s?.stop(true);
});

test('GET / is an HTML page, not the API\'s JSON', async () => {
  const res = await fetch(`${s.url}/`, { headers: { accept: '*/*' } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(res.headers.get('content-security-policy')).toContain("connect-src 'self'");
  const html = await res.text();
  expect(html).toMatch(/^<!doctype html>/);
  expect(html).toMatch(/<script type="module" src="\/assets\/home-[A-Z0-9]+\.js"><\/script>/);
  expect(html).not.toMatch(/(src|href)="(https?:)?\/\//); // no CDN
});

const EXPECTED = {
  'zh-CN': { live: '正在直播', replays: '最近回放', admin: '管理后台', docs: 'API 文档', viewers: /^\d+ 人在看$/, some: /^[1-9]\d* 人在看$/, liveBadge: '直播中', replayBadge: '回放', ended: /^结束于 / },
  en: { live: 'Live now', replays: 'Recent replays', admin: 'Admin console', docs: 'API reference', viewers: /^\d+ watching$/, some: /^[1-9]\d* watching$/, liveBadge: 'LIVE', replayBadge: 'REPLAY', ended: /^Ended / },
} as const;

test.each(['zh-CN', 'en'] as const)('%s: live rooms and recent replays link to their watch pages', async (lang) => {
  const want = EXPECTED[lang];
  const { page, errors } = await browsers[lang].newPage(PHONE);
  const requested: string[] = [];
  page.on('request', (r) => requested.push(r.url()));
  await page.goto(`${s.url}/`);
  await page.waitForSelector('#home[data-state="ready"]');
  expect(await page.getAttribute('html', 'lang')).toBe(lang);
  expect([await visibleText(page, '#live-heading'), await visibleText(page, '#replays-heading')]).toEqual([want.live, want.replays]);
  expect([await visibleText(page, '#link-admin'), await visibleText(page, '#link-docs')]).toEqual([want.admin, want.docs]);
  expect([await page.getAttribute('#link-admin', 'href'), await page.getAttribute('#link-docs', 'href')]).toEqual(['/admin', '/api/docs']);

  // live: both live rooms (newest first), not the idle or ended ones
  expect(await inPage(page, `[...document.querySelectorAll('#live-list li')].map((li) => li.dataset.id)`)).toEqual([ids.liveBare, ids.liveCovered]);
  const covered = `#live-list li[data-id="${ids.liveCovered}"]`;
  expect(await page.getAttribute(`${covered} a`, 'href')).toBe(`/watch/${ids.liveCovered}`);
  expect(await visibleText(page, `${covered} .card-title`)).toBe('早间直播 · Morning show');
  expect(await visibleText(page, `${covered} .card-badge`)).toBe(want.liveBadge);
  expect(await visibleText(page, `${covered} .card-meta`)).toMatch(want.some); // the FLV viewer (and the other test's page)
  expect(await visibleText(page, `#live-list li[data-id="${ids.liveBare}"] .card-meta`)).toMatch(want.viewers);
  expect(await page.getAttribute(`${covered} img.card-cover`, 'src')).toBe(cover);
  for (let i = 0; i < 50 && !(await inPage<boolean>(page, `document.querySelector('${covered} img.card-cover').naturalWidth > 0`)); i++) await page.waitForTimeout(100);
  expect(await inPage(page, `document.querySelector('${covered} img.card-cover').naturalWidth`)).toBe(640);
  // the bare room shows its title's first letter instead
  expect(await visibleText(page, `#live-list li[data-id="${ids.liveBare}"] .card-initial`)).toBe('B');

  // replays: only the ended room that left one
  expect(await inPage(page, `[...document.querySelectorAll('#replay-list li')].map((li) => li.dataset.id)`)).toEqual([ids.replay]);
  const replay = `#replay-list li[data-id="${ids.replay}"]`;
  expect(await page.getAttribute(`${replay} a`, 'href')).toBe(`/watch/${ids.replay}`);
  expect(await visibleText(page, `${replay} .card-badge`)).toBe(want.replayBadge);
  expect(await visibleText(page, `${replay} .card-meta`)).toMatch(want.ended);
  expect(await visibleText(page, '#live-empty')).toBeNull();
  expect(await visibleText(page, '#replays-empty')).toBeNull();

  for (const [name, viewport] of [['phone', PHONE], ['desktop', DESKTOP]] as const) {
    await page.setViewportSize(viewport);
    await page.waitForTimeout(300);
    const shot = await screenshot(page, `home-${lang}-${name}-${viewport.width}x${viewport.height}`);
    expect(shot.colours).toBeGreaterThan(100); // the cover (ffmpeg's testsrc) among the cards
    expect(shot.foreground).toBeGreaterThan(0.05);
  }

  // a card opens its watch page
  await page.click(`${covered} a`);
  await page.waitForURL(`${s.url}/watch/${ids.liveCovered}`);
  await page.waitForSelector('#watch');

  const foreign = requested.filter((u) => !u.startsWith(`${s.url}/`) && !/^(data|blob):/.test(u));
  expect(foreign).toEqual([]);
  expect(errors).toEqual([]);
  await page.close();
});

test('with nothing live and no replay, the shelves say so', async () => {
  const { page, errors } = await browsers.en.newPage(DESKTOP);
  // (one RTMP listener per process: an empty server is played by answering the lists in the browser)
  await page.route(`${s.url}/api/rooms?*`, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: '{"rooms":[],"nextCursor":null}' }));
  await page.goto(`${s.url}/`);
  await page.waitForSelector('#home[data-state="ready"]');
  expect(await visibleText(page, '#live-empty')).toBe('Nobody is live right now.');
  expect(await visibleText(page, '#replays-empty')).toBe('No replays yet.');
  expect(await inPage(page, "document.querySelectorAll('.cards li').length")).toBe(0);
  expect(errors).toEqual([]);
  await page.close();
});

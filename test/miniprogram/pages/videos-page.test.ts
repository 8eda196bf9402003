/** @jest-environment jsdom */
// The Videos page (library mode) in miniprogram-simulate: rows from API answers (durations m:ss / h:mm:ss,
// sizes), cursor paging on reaching the bottom, empty and error states with retry, pull-down refresh, a tap
// plays the video's HLS in the <video>, an error falls back to the MP4 once, leaving stops playback.
import { FakeWx } from '../helpers/fake-wx';
import { $, $$, fire, renderPage, simWx, stubBuiltin, text, until, useFakeWx, useLanguage, type SimComponent } from '../helpers/simulate';
import * as vx from './videos-fixtures';

stubBuiltin('video', { src: String, title: String, autoplay: Boolean, controls: Boolean });

let fake: FakeWx;
let calls: string[];
let stoppedRefresh: number;
let page: SimComponent | null;

beforeEach(() => {
  useLanguage('en'); // behaviour in English; the Chinese texts: videos-page-zh.test.ts
  fake = new FakeWx();
  useFakeWx(fake);
  calls = [];
  stoppedRefresh = 0;
  page = null;
  const record = (m: string) => () => { calls.push(m); };
  simWx().createVideoContext = (id: string) => ({ play: record(`play:${id}`), pause: record(`pause:${id}`), stop: record(`stop:${id}`) });
  simWx().stopPullDownRefresh = () => { stoppedRefresh += 1; };
  simWx().setNavigationBarTitle = () => undefined;
});
afterEach(() => { page?.instance.onUnload(); });

async function open(): Promise<SimComponent> {
  page = renderPage('videos');
  await page.instance.onLoad({});
  return page;
}
const titles = (p: SimComponent) => $$(p, '.row .title').map(text);
const vod = (p: SimComponent) => p.querySelector('#vod');
const rowAt = (p: SimComponent, i: number) => p.querySelectorAll('.row')[i]!;

test('lists the library: title, duration as m:ss or h:mm:ss, size and date; asks the API for one page', async () => {
  const a = vx.video({ title: 'Intro', durationS: 7.9, sizeBytes: 870_400 });
  const b = vx.video({ title: 'Long talk', durationS: 3723, sizeBytes: 1_288_490_189, createdAt: '2025-03-04T10:05:00.000Z' });
  fake.on('GET /api/videos', { status: 200, body: { videos: [a, b], nextCursor: null } });
  const p = await open();
  expect(titles(p)).toEqual(['Intro', 'Long talk']);
  expect($$(p, '.row .duration').map(text)).toEqual(['0:07', '1:02:03']);
  const notes = $$(p, '.row .note').map(text);
  expect(notes[0]).toMatch(/^850 KB · \d+ \w{3} \d\d:\d\d$/);
  expect(notes[1]).toMatch(/^1\.2 GB · 4 Mar 2025 \d\d:\d\d$/);
  expect(fake.requests.map((r) => [r.path, r.query])).toEqual([['/api/videos', { limit: '20' }]]);
  expect(text($(p, '.footer'))).toBe('That\'s everything.');
  expect(vod(p)).toBeUndefined();
});

test('reaching the bottom loads the next page with the cursor, and stops at the last', async () => {
  const first = [vx.video({ title: 'One' }), vx.video({ title: 'Two' })];
  fake.on('GET /api/videos', (req) => (req.query.cursor === 'c2'
    ? { status: 200, body: { videos: [vx.video({ title: 'Three' }), first[1]], nextCursor: null } }
    : { status: 200, body: { videos: first, nextCursor: 'c2' } }));
  const p = await open();
  expect(titles(p)).toEqual(['One', 'Two']);
  expect($(p, '.footer')).toBeNull();
  await p.instance.onReachBottom();
  expect(fake.requests[1].query).toEqual({ limit: '20', cursor: 'c2' });
  // a video seen on the previous page is shown once
  expect(titles(p)).toEqual(['One', 'Two', 'Three']);
  await p.instance.onReachBottom();
  expect(fake.requests).toHaveLength(2);
  expect(text($(p, '.footer'))).toBe('That\'s everything.');
});

test('an empty library says so', async () => {
  fake.on('GET /api/videos', { status: 200, body: { videos: [], nextCursor: null } });
  const p = await open();
  expect($$(p, '.row')).toHaveLength(0);
  expect([text($(p, '.empty-text')), text($(p, '.empty-hint'))]).toEqual(['No videos yet.', 'Videos the admin uploads show up here.']);
});

test('a failed first page shows the error and retry; a failed next page keeps the rows', async () => {
  fake.on('GET /api/videos', { fail: 'request:fail timeout' }, { status: 200, body: { videos: [vx.video({ title: 'Back' })], nextCursor: 'c2' } },
    { status: 429, body: { error: { code: 'rate_limited', message: 'Slow down a little.' } } },
    { status: 200, body: { videos: [vx.video({ title: 'More' })], nextCursor: null } });
  const p = await open();
  expect(text($(p, '.error-state .error'))).toContain('did not answer within 10 s');
  await fire(p.querySelector('.retry')!, 'tap');
  await until(() => titles(p).length === 1, 'rows after retry');
  expect($(p, '.error-state')).toBeNull();

  await p.instance.onReachBottom();
  expect(text($(p, '.error-more .error'))).toBe('Slow down a little.');
  expect(titles(p)).toEqual(['Back']);
  await fire(p.querySelector('.retry')!, 'tap');
  await until(() => titles(p).length === 2, 'next page after retry');
  expect(fake.requests.map((r) => r.query.cursor)).toEqual([undefined, undefined, 'c2', 'c2']);
});

test('pull-down refresh starts again from the first page and stops the spinner', async () => {
  fake.on('GET /api/videos', { status: 200, body: { videos: [vx.video({ title: 'Old' })], nextCursor: 'c2' } },
    { status: 200, body: { videos: [vx.video({ title: 'Fresh' })], nextCursor: null } });
  const p = await open();
  await p.instance.onPullDownRefresh();
  expect(stoppedRefresh).toBe(1);
  expect(titles(p)).toEqual(['Fresh']);
  expect(fake.requests[1].query.cursor).toBeUndefined();
});

test('a tap plays the video\'s HLS in the <video> with its title; an error falls back to the MP4 once, then says so', async () => {
  const v = vx.video({ title: 'Clip' });
  fake.on('GET /api/videos', { status: 200, body: { videos: [vx.video({ title: 'Other' }), v], nextCursor: null } });
  fake.on(`GET /api/videos/${v.id}/play`, { status: 200, body: vx.play(v) });
  const p = await open();
  await fire(rowAt(p, 1), 'tap');
  await until(() => vod(p) !== undefined, 'video shown');
  expect(vod(p)!.data).toMatchObject({ src: vx.play(v).play.hls, title: 'Clip', autoplay: true, controls: true });
  expect(text($(p, '.play-title'))).toBe('Clip');
  expect($(p, '.row.is-current .title')?.textContent).toBe('Clip');

  await fire(vod(p)!, 'error', { errMsg: 'MEDIA_ERR_SRC_NOT_SUPPORTED' });
  expect(vod(p)!.data.src).toBe(vx.play(v).play.file);
  expect(text($(p, '.play-note'))).toBe('Streaming failed; playing the MP4 file instead…');
  await until(() => calls.includes('play:vod'), 'the MP4 started');

  await fire(vod(p)!, 'error', { errMsg: 'MEDIA_ERR_NETWORK' });
  expect(vod(p)).toBeUndefined();
  expect(text($(p, '.play-error .error'))).toBe('This video cannot be played. Check the network and try again.');
  // play again: HLS first again, with fresh play URLs
  await fire(p.querySelector('.play-again')!, 'tap');
  await until(() => vod(p) !== undefined, 'playing again');
  expect(vod(p)!.data.src).toBe(vx.play(v).play.hls);
  expect(fake.to(`/api/videos/${v.id}/play`)).toHaveLength(2);
});

test('an FLV video has no MP4 to fall back to: one error is the end', async () => {
  const v = vx.video({ title: 'Flv', format: 'flv' });
  fake.on('GET /api/videos', { status: 200, body: { videos: [v], nextCursor: null } });
  fake.on(`GET /api/videos/${v.id}/play`, { status: 200, body: vx.play(v) });
  const p = await open();
  await fire(rowAt(p, 0), 'tap');
  await until(() => vod(p) !== undefined, 'video shown');
  await fire(vod(p)!, 'error', { errMsg: 'x' });
  expect(vod(p)).toBeUndefined();
  expect(text($(p, '.play-error .error'))).toContain('cannot be played');
});

test('a play-URL error shows under the player; the end of the video says so; a later tap wins over a slow one', async () => {
  const slow = vx.video({ title: 'Slow' });
  const quick = vx.video({ title: 'Quick' });
  fake.on('GET /api/videos', { status: 200, body: { videos: [slow, quick], nextCursor: null } });
  fake.on(`GET /api/videos/${slow.id}/play`, { status: 404, body: { error: { code: 'video_not_found', message: 'No such video.' } } });
  fake.on(`GET /api/videos/${quick.id}/play`, { status: 200, body: vx.play(quick) });
  const p = await open();
  await fire(rowAt(p, 0), 'tap');
  expect(text($(p, '.play-note'))).toBe('Opening…');
  await until(() => p.data.playError !== '', 'error shown');
  expect(text($(p, '.play-error .error'))).toBe('No such video.');

  // tap "Slow" then "Quick" at once: Slow's answer (an error) must not replace Quick
  await fire(rowAt(p, 0), 'tap');
  await fire(rowAt(p, 1), 'tap');
  await until(() => vod(p) !== undefined, 'quick plays');
  await new Promise((r) => setTimeout(r, 20));
  expect([p.data.playTitle, p.data.playError, vod(p)!.data.src]).toEqual(['Quick', '', vx.play(quick).play.hls]);
  await fire(vod(p)!, 'ended');
  expect(text($(p, '.play-note'))).toBe('Finished');
});

test('leaving the page stops playback; the background pauses it', async () => {
  const v = vx.video();
  fake.on('GET /api/videos', { status: 200, body: { videos: [v], nextCursor: null } });
  fake.on(`GET /api/videos/${v.id}/play`, { status: 200, body: vx.play(v) });
  const p = await open();
  await fire(rowAt(p, 0), 'tap');
  await until(() => vod(p) !== undefined, 'video shown');
  p.instance.onHide();
  expect(calls).toEqual(['pause:vod']);
  p.instance.onUnload();
  page = null;
  expect(calls).toEqual(['pause:vod', 'stop:vod']);
  expect(p.data.src).toBe('');
});

/** @jest-environment jsdom */
// Chinese first (as pages-zh.test.ts checks the other pages): with WeChat in Chinese, or its language unknown,
// the Videos page speaks Chinese in every state (list, empty, error, player, fallback, failure), with no English
// word left; the entries on the rooms list and the ended audience page too.
import { resetLocale } from '../../../miniprogram/lib/i18n';
import { FakeWx } from '../helpers/fake-wx';
import * as fx from '../helpers/fixtures';
import { $, fire, renderPage, simWx, stubBuiltin, text, until, useFakeWx, useLanguage, type SimComponent } from '../helpers/simulate';
import * as vx from './videos-fixtures';

stubBuiltin('video', { src: String, title: String });
stubBuiltin('live-player', { src: String });
stubBuiltin('image', { src: String });

const ROOM = 'ZZZZZZZZZZZ7';
let fake: FakeWx;
let titles: string[];
const pages: SimComponent[] = [];

beforeEach(() => {
  fake = new FakeWx();
  useFakeWx(fake);
  titles = [];
  simWx().setNavigationBarTitle = (o: { title: string }) => { titles.push(o.title); };
  simWx().createVideoContext = () => ({ play: () => undefined, pause: () => undefined, stop: () => undefined });
  simWx().createLivePlayerContext = () => ({ play: () => undefined, stop: () => undefined });
});
afterEach(() => { while (pages.length) pages.pop()!.instance.onUnload?.(); });
afterAll(() => { resetLocale(); });

/** Latin words left once URLs, ids and the units both languages share are taken out (as pages-zh.test.ts does). */
function english(page: SimComponent): string[] {
  const shared = new Set(['MP4', 'KB', 'MB', 'GB']);
  const all = text(page.dom).replace(/\bhttps?:\/\/\S+/g, ' ').replace(/\b[A-Za-z0-9]{12}\b/g, ' ');
  return (all.match(/[A-Za-z][A-Za-z-]{2,}/g) ?? []).filter((w) => !shared.has(w));
}

async function open(query: Record<string, string>, page = 'videos'): Promise<SimComponent> {
  const p = renderPage(page);
  pages.push(p);
  await p.instance.onLoad(query);
  return p;
}

test.each(['zh_CN', ''])('WeChat language "%s": the library, the player, its fallback and failure are Chinese', async (language) => {
  useLanguage(language);
  const v = vx.video({ title: '吉他入门', durationS: 75, sizeBytes: 2_500_000 });
  fake.on('GET /api/videos', { status: 200, body: { videos: [v], nextCursor: null } });
  fake.on(`GET /api/videos/${v.id}/play`, { status: 200, body: vx.play(v) });
  const p = await open({});
  expect(titles).toEqual(['视频']);
  expect(text($(p, '.row .duration'))).toBe('1:15');
  expect(text($(p, '.row .note'))).toMatch(/^2\.4 MB · \d+月\d+日 \d\d:\d\d$/);
  expect(text($(p, '.footer'))).toBe('已经到底了。');
  expect(english(p)).toEqual([]);

  await fire(p.querySelectorAll('.row')[0], 'tap');
  await until(() => p.querySelector('#vod') !== undefined, 'video shown');
  await fire(p.querySelector('#vod')!, 'error', { errMsg: 'x' });
  expect(text($(p, '.play-note'))).toBe('流式播放失败，正在改用 MP4 文件播放…');
  expect(english(p)).toEqual([]);
  await fire(p.querySelector('#vod')!, 'error', { errMsg: 'x' });
  expect(text($(p, '.play-error'))).toBe('无法播放这个视频。请检查网络后重试。重新播放');
  expect(english(p)).toEqual([]);
});

test('empty library, network error and a room\'s replays in Chinese; the entry buttons too', async () => {
  useLanguage('zh_CN');
  fake.on('GET /api/videos', { status: 200, body: { videos: [], nextCursor: null } });
  const empty = await open({});
  expect(text($(empty, '.empty-state'))).toBe('还没有视频。管理员上传的视频会出现在这里。');

  fake.on('GET /api/videos', { fail: 'request:fail' });
  const failed = await open({});
  expect(text($(failed, '.error-state'))).toBe('连不上服务器。请检查网络后重试。重试');
  expect(english(failed)).toEqual([]);

  fake.on(`GET /api/rooms/${ROOM}`, { status: 200, body: { room: fx.room({ id: ROOM, title: '晚间吉他', status: 'ended' }) } });
  fake.on(`GET /api/rooms/${ROOM}/replays`, { status: 200, body: { replays: [] } });
  fake.on(`GET /api/rooms/${ROOM}/play`, { status: 409, body: fx.roomEnded(ROOM) });
  titles = [];
  const replays = await open({ roomId: ROOM });
  await until(() => titles.length === 2, 'room title');
  expect(titles).toEqual(['回放', '回放 · 晚间吉他']);
  expect(text($(replays, '.empty-state'))).toBe('这个直播间还没有回放。直播结束后，回放会出现在这里。');
  expect(english(replays)).toEqual([]);

  fake.on('GET /api/rooms', { status: 200, body: fx.emptyList });
  expect(text($(await open({}, 'rooms'), '.videos'))).toBe('视频');
  const audience = await open({ id: ROOM }, 'audience');
  await until(() => audience.data.stage === 'ended', 'ended');
  expect(text($(audience, '.open-replays'))).toBe('看回放');
});

/** @jest-environment ./test/miniprogram/helpers/jsdom-node-env.ts */
// The audience page end to end against the real server: wx.request is real HTTP (nodeWx) to startTestServer(),
// a host publishes with ffmpeg, the page's live-player src is what the server signed (and ffprobe plays it as
// live-player would), and the page follows the room from not started to live to ended with its replay.
import { CONFIG } from '../../../miniprogram/config';
import type { ApiError } from '../../../miniprogram/services/api-error';
import { createApi } from '../../../miniprogram/services/client';
import { ffprobeJson, killAll, publish } from '../../helpers/ffmpeg';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { until as waitUntil, waitFor, within } from '../../helpers/wait';
import { nodeWx } from '../helpers/node-wx';
import { $, fire, renderPage, simWx, stubBuiltin, text, until, useWxPort, type SimComponent, useLanguage } from '../helpers/simulate';

stubBuiltin('live-player', { src: String, mode: String, autoplay: Boolean });
stubBuiltin('video', { src: String });

let s: TestServer;
let calls: string[];
const pages: SimComponent[] = [];

beforeAll(async () => {
  s = await startTestServer();
  CONFIG.apiBase = s.url; // before the page's first request creates the app's client
  // the app polls an offline host every 10 s; the same loop, sooner, keeps the test short
  CONFIG.offlinePollMs = 200;
});
afterAll(async () => {
  for (const p of pages) p.instance.onUnload();
  await killAll();
  await s.stop(true);
});

beforeEach(() => {
  useLanguage('en'); // behaviour in English; the Chinese texts: *-zh.test.ts
  useWxPort(nodeWx('viewer'));
  calls = [];
  const record = (method: string) => () => { calls.push(method); };
  simWx().createLivePlayerContext = () => ({ play: record('play'), stop: record('stop') });
});

/** The host's side, through the same client code. */
const hostWx = nodeWx('audience-e2e-host');
const hostApi = () => createApi(s.url, () => hostWx);
const player = (page: SimComponent) => page.querySelector('#player')!;
const state = (page: SimComponent, code: number) => fire(player(page), 'statechange', { code });
const flvUrl = (id: string) => new RegExp(`^http://127\\.0\\.0\\.1:${s.httpPort}/live/${id}\\.flv\\?expires=\\d+&sign=[\\w-]{43}$`);

async function open(id: string): Promise<SimComponent> {
  const page = renderPage('audience');
  pages.push(page);
  await page.instance.onLoad({ id });
  return page;
}

test('a live room plays the server\'s FLV URL; when the host ends it, 2006 leads to "ended" with the real replay', async () => {
  const { room, push } = await hostApi().createRoom({ title: 'Audience e2e' });
  const pub = publish(push.url);
  await waitUntil(async () => (await hostApi().getRoom(room.id)).status === 'live', 15000, 'room live');

  const page = await open(room.id);
  expect(text($(page, '.title'))).toBe('Audience e2e');
  const src = player(page).data.src as string;
  expect(src).toMatch(flvUrl(room.id));
  // what live-player receives from that src
  const probe = await ffprobeJson(src);
  expect(probe.streams.map((x) => x.codec_name).sort()).toEqual(['aac', 'h264']);
  for (const code of [2001, 2002, 2003, 2004]) await state(page, code);
  expect($(page, '.badge-live')).not.toBeNull();

  // the host ends the broadcast: the server drops the publisher, the player's stream stops (2006)
  await hostApi().endRoom(room.id);
  expect(await within(pub.exited, 10000)).not.toBeNull();
  await state(page, 2006);
  await until(() => page.data.stage === 'ended', 'ended on the page', 5000);
  expect(text($(page, '.ended-title'))).toBe('Broadcast ended');
  const refusal = await hostApi().playUrls(room.id).then(() => null, (e: ApiError) => e);
  expect(refusal).toMatchObject({ status: 409, code: 'room_ended' });
  const replay = page.querySelector('.replay-video')!.data.src as string;
  expect(replay).toBe(refusal!.replay);
  expect(replay).toMatch(new RegExp(`^${s.url}/replay/${room.id}/\\w+/index\\.m3u8$`));
  // the replay the page offers is a finished playlist on the server
  const playlist = await waitFor(async () => {
    const res = await fetch(replay);
    const body = res.ok ? await res.text() : '';
    return body.includes('#EXT-X-ENDLIST') ? body : null;
  }, 10000);
  expect(playlist.startsWith('#EXTM3U')).toBe(true);
  expect(page.querySelector('#player')).toBeUndefined();
  expect(calls).not.toContain('play');
});

test('a room that has not started waits, and plays the server\'s URL once the host publishes', async () => {
  const { room, push } = await hostApi().createRoom({ title: 'Not yet' });
  const page = await open(room.id);
  expect(page.data.stage).toBe('offline');
  expect(text($(page, '.offline'))).toContain('The broadcast has not started yet');
  expect(player(page).data.src).toBe('');

  const pub = publish(push.url);
  await until(() => page.data.stage === 'watching', 'watching once live', 15000);
  expect(player(page).data.src).toMatch(flvUrl(room.id));
  // the first src autoplays (autoplay is bound): no context call needed
  expect(player(page).data.autoplay).toBe(true);
  expect(calls).toEqual([]);
  await state(page, 2004);
  expect($(page, '.badge-live')).not.toBeNull();
  await pub.stop();
});

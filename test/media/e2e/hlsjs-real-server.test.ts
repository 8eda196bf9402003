// Real peers on both sides: ffmpeg publishes to the real server and hls.js in headless Chromium plays its signed
// live index.m3u8. The publisher is killed and comes back (at another picture size) inside RECONNECT_GRACE_S: the
// playlist continues after #EXT-X-DISCONTINUITY and hls.js plays on across it without a fatal error.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import type { AdminStatsResponse, PlayUrls } from '../../../typings/api';
import { launchBrowser, type TestBrowser } from '../../helpers/browser';
import { killAll, publish, type ChildHandle } from '../../helpers/ffmpeg';
import { call, createRoom } from '../../helpers/http';
import { publishLive, untilSegments } from '../../helpers/live';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { getRoom, until } from './e2e-kit';

jest.setTimeout(90000);

const HLS_JS = readFileSync(require.resolve('hls.js/dist/hls.min.js'));
/** The player page: hls.js on a <video>, reporting what it does into window.report. */
const PAGE = `<!doctype html><html><body><video id="v" muted playsinline></video>
<script src="hls.js"></script>
<script>
  window.report = { fatal: [], errors: [], widths: [], frags: [] };
  const v = document.getElementById('v');
  const hls = new Hls({ enableWorker: false });
  hls.on(Hls.Events.ERROR, (e, d) => { (d.fatal ? window.report.fatal : window.report.errors).push(d.details); });
  // the fragment now playing: its discontinuity counter (cc) and where it starts on the player's timeline
  hls.on(Hls.Events.FRAG_CHANGED, (e, d) => window.report.frags.push({ sn: d.frag.sn, cc: d.frag.cc, start: d.frag.start }));
  v.addEventListener('resize', () => window.report.widths.push(v.videoWidth));
  hls.loadSource(new URLSearchParams(location.search).get('src'));
  hls.attachMedia(v);
  hls.on(Hls.Events.MANIFEST_PARSED, () => v.play());
</script></body></html>`;

interface Report { fatal: string[]; errors: string[]; widths: number[]; frags: Array<{ sn: number; cc: number; start: number }>; t: number; paused: boolean }

let s: TestServer;
let browser: TestBrowser;

beforeAll(async () => {
  // 1 s segments and a 6 s window: the discontinuity shows within seconds and stays listed a while
  [s, browser] = await Promise.all([
    startTestServer({ RECONNECT_GRACE_S: '15', HLS_FRAGMENT_S: '1', HLS_PLAYLIST_LENGTH_S: '6' }),
    launchBrowser(),
  ]);
}, 60000);

afterAll(async () => {
  await killAll();
  await browser?.close();
  await s?.stop(true);
});

/** Serves the player page and hls.js under the real server's origin (intercepted: the server has no such path). */
async function openPlayer(page: Page, hlsUrl: string): Promise<void> {
  const at = `${s.url}/hlsjs-test/`;
  await page.route(`${at}**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path.endsWith('/hls.js')) return route.fulfill({ status: 200, contentType: 'text/javascript', body: HLS_JS });
    return route.fulfill({ status: 200, contentType: 'text/html', body: PAGE });
  });
  await page.goto(`${at}index.html?src=${encodeURIComponent(hlsUrl)}`);
}

const report = (page: Page) => page.evaluate('({ ...window.report, t: document.getElementById("v").currentTime, paused: document.getElementById("v").paused })') as Promise<Report>;

async function untilReport(page: Page, ok: (r: Report) => boolean, timeoutMs: number, what: string): Promise<Report> {
  let last: Report | null = null;
  try {
    await until(async () => ok((last = await report(page))), timeoutMs, what, 200);
  } catch (err) {
    throw new Error(`${(err as Error).message}; the player's last report: ${JSON.stringify(last)}`);
  }
  return last!;
}

test('hls.js plays the real signed live playlist and plays on across a publisher reconnect inside the grace', async () => {
  const { room, push } = await createRoom(s.url, 'hls.js live');
  let publisher: ChildHandle = await publishLive(s.url, room.id, push.url, { size: '320x240', durationS: 120 });
  const play = (await call(s.url, 'GET', `/api/rooms/${room.id}/play`)).body.play as PlayUrls;
  await untilSegments(play.hls, 3);

  const { page, errors } = await browser.newPage();
  const media: string[] = [];
  page.on('request', (r) => { if (r.url().startsWith(`${s.url}/live/`)) media.push(r.url()); });
  await openPlayer(page, play.hls);
  const first = await untilReport(page, (r) => r.t > 2 && !r.paused && r.widths.includes(320), 30000, 'hls.js to play the first publish');
  expect(first.frags.every((f) => f.cc === 0)).toBe(true);

  // the encoder drops; once the server has noticed, it comes back with the same push URL at another picture size
  publisher.proc.kill('SIGKILL');
  await publisher.exited;
  const stream = async () => ((await call(s.url, 'GET', '/api/admin/stats', { token: s.config.secrets.adminToken })).body as AdminStatsResponse)
    .streams.find((x) => x.roomId === room.id);
  await until(async () => (await stream())?.publisher === null, 10000, 'the server to notice the publisher is gone');
  expect((await getRoom(s.url, room.id)).status).toBe('live');
  publisher = publish(push.url, { size: '160x120', gop: 25, durationS: 120 });
  await until(async () => (await stream())?.publisher != null, 10000, 'the publisher to be back');
  await until(async () => /^#EXT-X-DISCONTINUITY$/m.test(await untilSegments(play.hls, 1)), 10000, 'the discontinuity in the live playlist');

  // hls.js crosses it: it plays a fragment after the discontinuity (cc 1), shows the new size, and its clock runs
  // on well past where that fragment starts
  const after = await untilReport(page, (r) => {
    const crossed = r.frags.find((f) => f.cc === 1);
    return crossed !== undefined && r.widths.includes(160) && r.t > crossed.start + 2 && !r.paused;
  }, 40000, 'hls.js to play on past the reconnect');
  expect(after.fatal).toEqual([]);
  expect(after.widths[0]).toBe(320);
  expect(after.t).toBeGreaterThan(first.t + 2);
  expect(errors).toEqual([]);
  // every request hls.js made for the live stream carried the play signature the playlist handed it
  expect(media.length).toBeGreaterThan(5);
  expect(media.filter((u) => !new URL(u).searchParams.has('sign'))).toEqual([]);
  expect((await getRoom(s.url, room.id)).status).toBe('live');
  await page.close();
});

// Issue 11 item 3: a stuck disk must not stall the event loop. Every write of the recorder is made to take 2 s
// (the fs seam it writes through, recorderFs); while writes are stuck the FLV viewer keeps receiving (no gap
// near the stall), /healthz answers fast, and live HLS goes on from memory (new segments are listed).
import { recorderFs, type RecorderFs } from '../../../server/media/hls-output/recorder-fs';
import { killAll } from '../../helpers/ffmpeg';
import { createRoom } from '../../helpers/http';
import { publishLive, untilSegments } from '../../helpers/live';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { FlvWatcher, playUrls, sleep, until } from '../e2e/e2e-kit';

const STUCK_MS = 2000;
let s: TestServer;
let viewer: FlvWatcher | undefined;
const real: RecorderFs = { ...recorderFs };
let slow = false;
let stuck = 0;

/** The same call, 2 s late while `slow`: what a disk that stops answering does to an asynchronous write. */
function slowed<A extends unknown[], R>(f: (...a: A) => Promise<R>): (...a: A) => Promise<R> {
  return async (...a: A) => {
    if (slow) {
      stuck++;
      try {
        await sleep(STUCK_MS);
      } finally {
        stuck--;
      }
    }
    return f(...a);
  };
}

beforeAll(async () => {
  recorderFs.append = slowed(real.append);
  recorderFs.writeFile = slowed(real.writeFile);
  s = await startTestServer({ HLS_FRAGMENT_S: '1', HLS_PLAYLIST_LENGTH_S: '3' });
}, 20_000);
afterAll(async () => {
  slow = false;
  Object.assign(recorderFs, real);
  viewer?.close();
  await killAll();
  await s?.stop(true);
});

const segmentsOf = (text: string): string[] => text.split('\n').filter((l) => /^\d+\.ts/.test(l)).map((l) => l.split('?')[0]!);

test('writes stuck for 2 s each: FLV keeps flowing, /healthz answers fast, live HLS lists new segments from memory', async () => {
  const { room, push } = await createRoom(s.url, 'slow disk');
  await publishLive(s.url, room.id, push.url);
  const play = await playUrls(s.url, room.id);
  viewer = await FlvWatcher.open(play.flv);
  await until(() => viewer!.media().length > 25, 8000, 'FLV media');
  await untilSegments(play.hls, 1);

  slow = true;
  await until(() => stuck > 0, 5000, 'a write to get stuck');
  const arrivals: number[] = [];
  viewer.res.on('data', () => arrivals.push(Date.now()));
  const listedBefore = segmentsOf(await (await fetch(play.hls)).text());
  /** /healthz round trips that began while a write was stuck */
  const health: number[] = [];
  const from = Date.now();
  while (Date.now() - from < 3 * STUCK_MS) {
    const whileStuck = stuck > 0;
    const t0 = Date.now();
    const r = await fetch(`${s.url}/healthz`);
    await r.arrayBuffer();
    if (whileStuck) health.push(Date.now() - t0);
    expect(r.status).toBe(200);
    await sleep(100); // a sampling interval, not a wait for something to happen
  }
  const listedAfter = segmentsOf(await (await fetch(play.hls)).text());
  const stillStuck = stuck;
  slow = false;

  expect(Math.max(...health)).toBeLessThan(500); // a stall would be ≥ 2000
  const gaps = arrivals.slice(1).map((t, i) => t - arrivals[i]!);
  expect(arrivals.length).toBeGreaterThan(20);
  expect(Math.max(...gaps)).toBeLessThan(1000);
  expect(health.length).toBeGreaterThanOrEqual(10); // the disk was stuck for most of the 6 s measured
  expect(stillStuck).toBeGreaterThan(0);
  // live HLS does not wait for the disk: segments cut meanwhile are listed (and served) from memory
  const fresh = listedAfter.filter((x) => !listedBefore.includes(x));
  expect(fresh.length).toBeGreaterThanOrEqual(2);
  const seg = await fetch(new URL(`${fresh[fresh.length - 1]}${new URL(play.hls).search}`, play.hls));
  expect([seg.status, seg.headers.get('content-type'), (await seg.arrayBuffer()).byteLength > 188]).toEqual([200, 'video/mp2t', true]);
}, 40_000);

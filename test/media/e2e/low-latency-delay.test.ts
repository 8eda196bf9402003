// Issue 15: `?latency=low` on an FLV URL writes that viewer every tag at once, whatever the viewer count, so the
// server adds ≤ 40 ms p95 per frame; beside it, with 8 plain viewers merging (FLV_MERGE_MS) the merged path adds
// more. Measured with the bench's own helper (bench/lib/frame-delay.js, `npm run bench` (d)).
import { addedDelays, delaySummary, watchFlvDelays } from '../../../bench/lib/frame-delay';
import { MERGE_FROM_VIEWERS } from '../../../server/media/flv/flv-fanout';
import { killAll, publish } from '../../helpers/ffmpeg';
import { createRoom } from '../../helpers/http';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { playUrls, sleep, until, untilStatus } from './e2e-kit';

const LOW_P95_MS = 40;
let s: TestServer;
const viewers: Array<ReturnType<typeof watchFlvDelays>> = [];

beforeAll(async () => {
  s = await startTestServer({ FLV_MERGE_MS: '100' });
}, 20000);

afterAll(async () => {
  for (const v of viewers) v.close();
  await killAll();
  await s?.stop(true);
});

test(`with ${MERGE_FROM_VIEWERS} merged viewers, a ?latency=low viewer's added delay is p95 ≤ ${LOW_P95_MS} ms and below the merged path's`, async () => {
  const { room, push } = await createRoom(s.url, 'low latency');
  publish(push.url, { gop: 25 });
  await untilStatus(s.url, room.id, 'live', 10000);
  const play = await playUrls(s.url, room.id);
  const merged = Array.from({ length: MERGE_FROM_VIEWERS }, () => watchFlvDelays(play.flv));
  const low = watchFlvDelays(`${play.flv}&latency=low`);
  viewers.push(...merged, low);
  expect(await Promise.all([...merged, low].map((v) => v.status))).toEqual(Array(MERGE_FROM_VIEWERS + 1).fill(200));
  await until(() => low.delays.raw.length > 0 && merged[0]!.delays.raw.length > 0, 10000, 'media on both paths');
  await sleep(1500);
  low.delays.take(); // the join burst (GOP cache) arrives at once: not part of the measure
  merged[0]!.delays.take();
  await sleep(6000);
  const lowSummary = delaySummary(addedDelays(low.delays.take()));
  const mergedSummary = delaySummary(addedDelays(merged[0]!.delays.take()));
  // 6 s of 25 fps video and ~43 AAC frames/s
  expect(lowSummary.frames).toBeGreaterThan(200);
  expect(mergedSummary.frames).toBeGreaterThan(200);
  expect(lowSummary.p95).toBeLessThanOrEqual(LOW_P95_MS);
  expect(mergedSummary.p95).toBeGreaterThan(lowSummary.p95);
  // the merge window shows: half its length or more at p95 even on an idle machine
  expect(mergedSummary.p95).toBeGreaterThanOrEqual(50);
}, 60000);

// Publisher ingest rate (issue 10, row 6): a file pushed without -re sends minutes of media per second and would
// fill the disk; past a few seconds' slack a publisher faster than publishMaxSpeed × real time is disconnected.
// The same clip at its own rate (-re) keeps publishing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RtmpIngest } from '../../../server/media/rtmp/rtmp-ingest';
import { killAll, spawnTracked } from '../../helpers/ffmpeg';
import { encodeOnce } from '../hls/helpers/media-tools';
import { roomId, startIngest, testHooks, until, type HookLog } from './rtmp-fixture';

const MAX_SPEED = 1.5;
let dir: string;
let clip: string;
let ingest: RtmpIngest;
let url: (room: string) => string;
const refusals: Record<string, number> = {};
let log: HookLog;
/** when each room went live and was closed, seen by the hooks: a fast publisher may last less than a poll */
const liveAt = new Map<string, number>();
const endedAt = new Map<string, number>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wxlive-pace-'));
  clip = join(dir, 'clip.flv');
  // 2 s of H.264 + AAC with a 1 s GOP, pushed in a loop
  await encodeOnce(['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25', '-f', 'lavfi', '-i', 'sine=sample_rate=44100',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '25', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-t', '2', '-f', 'flv', clip]);
  log = testHooks();
  const { publishStarted, publishStopped } = log.hooks;
  log.hooks.publishStarted = (req) => { liveAt.set(req.roomId, Date.now()); publishStarted(req); };
  log.hooks.publishStopped = (req) => { endedAt.set(req.roomId, Date.now()); publishStopped(req); };
  const s = await startIngest(log.hooks, {
    publishMaxSpeed: MAX_SPEED, limitRefusals: { inc: ({ reason }) => { refusals[reason] = (refusals[reason] ?? 0) + 1; } },
  });
  ingest = s.ingest;
  url = (room) => s.url(room);
}, 60000);

afterAll(async () => {
  await killAll();
  await ingest?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const push = (room: string, realtime: boolean) => spawnTracked('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin',
  ...(realtime ? ['-re'] : []), '-stream_loop', '-1', '-i', clip, '-c', 'copy', '-f', 'flv', url(room)]);

test('ffmpeg -stream_loop without -re is disconnected within a second of going live', async () => {
  const room = roomId();
  const ff = push(room, false);
  await until(() => liveAt.has(room), 10000, 'the publisher');
  await until(() => endedAt.has(room), 3000, 'the fast publisher to be closed');
  expect(endedAt.get(room)! - liveAt.get(room)!).toBeLessThan(1500);
  expect(ingest.publisher(room)).toBeNull();
  expect(refusals.publish_too_fast).toBe(1);
  const { code } = await ff.exited; // the server closed it: ffmpeg fails, it did not finish
  expect(code).not.toBe(0);
});

test('the same loop at its own rate (-re) stays past the slack', async () => {
  const room = roomId();
  push(room, true);
  await until(() => ingest.publisher(room) !== null, 10000, 'the publisher');
  const since = ingest.publisher(room)!.since;
  const live = Date.now();
  // the slack is 5 s of media: after 7 s the allowance has grown past it by MAX_SPEED × 7 s, and -re never uses it
  await until(() => Date.now() - live > 7000 || ingest.publisher(room) === null, 9000, '7 s');
  expect(ingest.publisher(room)?.since).toBe(since);
  expect(refusals.publish_too_fast).toBe(1); // only the first test's
}, 20000);

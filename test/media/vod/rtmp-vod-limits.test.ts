// The VOD player's limits, with small settings: a client that stops reading holds the reading (the socket queue
// stays near the high-water mark, nothing is dropped), a paused player times out, and the total VOD cap refuses.
import { until } from '../../helpers/wait';
import { makeMedia, startVod } from './vod-fixture';
import { vodClient } from './vod-client';

let vod: Awaited<ReturnType<typeof startVod>>;
const HIGH_WATER = 64 * 1024;

beforeAll(async () => {
  // a whole-file burst: without back-pressure the server would queue all of it for a client that does not read
  vod = await startVod({ maxPlayers: 2, player: { highWaterBytes: HIGH_WATER, burstMs: 60_000, pausedTimeoutMs: 800 } });
  // about 20 MB: more than loopback socket buffers hold (a few MB each way)
  // (noise keeps x264 from compressing testsrc far below the target rate)
  await makeMedia(vod.dir, 'big.mp4', 8, '1280x720', ['-vf', 'noise=alls=40:allf=t', '-b:v', '20M', '-maxrate', '20M', '-bufsize', '4M']);
  await makeMedia(vod.dir, 'clip.flv', 4);
}, 60000);

afterAll(async () => {
  await vod.close();
});

test('a client that stops reading holds the reading: the queue stays bounded, and it gets everything once it reads', async () => {
  const c = vodClient(vod.port, 'big.mp4', true);
  try {
    await until(() => c.media.length > 0, 5000, 'first media');
    const sock = (c.raw as unknown as { sock: import('node:net').Socket }).sock;
    let maxQueued = 0;
    for (let i = 0; i < 30; i++) {
      maxQueued = Math.max(maxQueued, vod.vod.maxQueuedBytes());
      await new Promise((r) => setTimeout(r, 50));
    }
    // the mark plus one message at most (a 20 Mb/s keyframe can be a few hundred KiB), never the 20 MB file
    expect(maxQueued).toBeGreaterThan(0);
    expect(maxQueued).toBeLessThan(HIGH_WATER + 1024 * 1024);
    sock.resume();
    await until(() => c.data.some((d) => d[0] === 'onPlayStatus'), 20000, 'Play.Complete');
    expect(Math.max(...c.media.map(([, ts]) => ts))).toBeGreaterThan(7800);
  } finally {
    c.close();
  }
}, 30000);

test('a paused player is closed after the paused timeout', async () => {
  const c = vodClient(vod.port, 'clip.flv');
  await until(() => c.media.length > 0, 5000, 'media');
  c.pause(true, 0);
  await until(() => c.closed !== null, 4000, 'paused player closed');
  expect(c.statuses).toContain('NetStream.Pause.Notify');
});

test('the total VOD cap refuses one more player (Play.Failed)', async () => {
  const a = vodClient(vod.port, 'clip.flv');
  const b = vodClient(vod.port, 'clip.flv');
  try {
    await until(() => a.media.length > 0 && b.media.length > 0, 5000, 'two players');
    const third = vodClient(vod.port, 'clip.flv');
    await until(() => third.closed !== null, 5000, 'third refused');
    expect(third.closed).toBe('refused: NetStream.Play.Failed');
  } finally {
    a.close();
    b.close();
  }
});

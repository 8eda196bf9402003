// Issue 10 row 6 (disk) end to end, with real ffmpeg publishers: a room over its replay quota stops recording with
// ENDLIST while its FLV stream goes on, and its next publish is refused (replay_quota_room) while other rooms
// still publish; below the free-space watermark every publish is refused (disk_low). On a real small disk (a tmpfs
// under DATA_DIR/hls, root only): the disk filling past the watermark mid-broadcast ends the recording, and a real
// ENOSPC with no watermark pauses it until there is room again. The API answers throughout.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildHandle, TestStreamOptions } from '../../helpers/ffmpeg';
import { killAll } from '../../helpers/ffmpeg';
import { call, createRoom } from '../../helpers/http';
import { publishLive, untilSegments } from '../../helpers/live';
import { RawRtmpClient } from '../../helpers/rtmp-client';
import { capturingLogger, startTestServer, type TestServer } from '../../helpers/test-server';
import { emptyDisk, fillDisk, mountSmallDisk, unmountSmallDisk } from '../hls-output/small-disk';
import { FlvWatcher, getRoom, metricValue, playUrls, until } from './e2e-kit';

const MB = 1024 * 1024;
/** a near-incompressible picture: ~6 Mbit/s, so a 2 MB quota fills in a few seconds */
const NOISY: TestStreamOptions = { size: '320x180', gop: 25, videoFilter: 'noise=alls=60:allf=t+u' };
/** one embedded server per process at a time (NMS state is global): each test stops its own */
let current: TestServer | null = null;
let mounted: string | null = null;

afterEach(async () => {
  await killAll();
  await current?.stop(mounted === null);
  current = null;
  if (mounted) {
    unmountSmallDisk(mounted);
    rmSync(join(mounted, '..'), { recursive: true, force: true });
    mounted = null;
  }
});

async function server(env: Record<string, string>, opts: Parameters<typeof startTestServer>[1] = {}): Promise<TestServer> {
  current = await startTestServer({ HLS_FRAGMENT_S: '1', ...env }, opts);
  return current;
}

/** Publishes with a raw RTMP client; resolves with the status text the server sent before closing. */
async function refusedPublish(s: TestServer, streamKey: string, reason: string): Promise<void> {
  const c = await RawRtmpClient.open(s.rtmpPort);
  await c.handshake();
  c.start('publish', s.rtmpPort, streamKey);
  await c.waitForText('NetStream.Publish.BadName');
  await c.waitForText(reason);
  await c.waitForClose(3000);
  expect(c.receivedText()).not.toContain('NetStream.Publish.Start');
}

async function metrics(s: TestServer): Promise<string> {
  return (await call(s.url, 'GET', '/metrics', { token: s.config.secrets.adminToken })).body as string;
}

async function apiAnswers(s: TestServer, roomId: string): Promise<void> {
  expect((await call(s.url, 'GET', '/healthz')).status).toBe(200);
  expect((await call(s.url, 'GET', `/api/rooms/${roomId}`)).status).toBe(200);
  expect((await call(s.url, 'GET', '/api/rooms')).status).toBe(200);
}

const liveText = async (hls: string): Promise<string> => (await fetch(hls)).text();

test('over its replay quota a room stops recording (ENDLIST), FLV goes on, its next publish is refused; other rooms publish', async () => {
  const s = await server({ REPLAY_MAX_ROOM_MB: '2' });
  const a = await createRoom(s.url, 'fills its quota', 'host-a');
  const pub = await publishLive(s.url, a.room.id, a.push.url, NOISY);
  const play = await playUrls(s.url, a.room.id);
  const viewer = await FlvWatcher.open(play.flv);
  await until(async () => (await liveText(play.hls)).endsWith('#EXT-X-ENDLIST\n'), 15000, 'the live playlist to end');

  const dir = join(s.dataDir, 'hls', a.room.id);
  const onDisk = readdirSync(dir).flatMap((b) => readdirSync(join(dir, b)).filter((f) => f.endsWith('.ts')).map((f) => statSync(join(dir, b, f)).size));
  expect(onDisk.length).toBeGreaterThan(0);
  expect(onDisk.reduce((x, y) => x + y, 0)).toBeLessThanOrEqual(2 * MB);
  const flvBefore = viewer.bytes;
  await until(() => viewer.bytes > flvBefore + 100_000, 5000, 'the FLV viewer to keep receiving');
  expect([(await getRoom(s.url, a.room.id)).status, pub.proc.exitCode]).toEqual(['live', null]);
  expect(metricValue(await metrics(s), 'wxlive_limit_refusals_total{reason="recording_replay_quota_room"}')).toBe(1);

  await pub.stop();
  viewer.close();
  await refusedPublish(s, a.push.streamKey, 'replay_quota_room'); // the room is in its reconnect grace
  const text = await metrics(s);
  expect(metricValue(text, 'wxlive_publish_refusals_total{reason="replay_quota_room"}')).toBe(1);
  expect(metricValue(text, 'wxlive_limit_refusals_total{reason="replay_quota_room"}')).toBe(1);

  const b = await createRoom(s.url, 'has its own quota', 'host-b');
  const pubB = await publishLive(s.url, b.room.id, b.push.url, { gop: 25 });
  await untilSegments((await playUrls(s.url, b.room.id)).hls, 1);
  await pubB.stop();
  await apiAnswers(s, a.room.id);
}, 40000);

test('below the free-space watermark every publish is refused (disk_low); the API answers', async () => {
  const s = await server({ DISK_MIN_FREE_MB: String(1024 * 1024 * 1024) }); // 1 EB: no disk has that much free
  const a = await createRoom(s.url, 'no room on disk', 'host-a');
  await refusedPublish(s, a.push.streamKey, 'disk_low');
  expect((await getRoom(s.url, a.room.id)).status).toBe('idle');
  const text = await metrics(s);
  expect(metricValue(text, 'wxlive_publish_refusals_total{reason="disk_low"}')).toBe(1);
  expect(metricValue(text, 'wxlive_limit_refusals_total{reason="disk_low"}')).toBe(1);
  await apiAnswers(s, a.room.id);
}, 20000);

const root = process.getuid?.() === 0;
(root ? describe : describe.skip)('on a small real disk (a 48 MB tmpfs at DATA_DIR/hls)', () => {
  /** A data dir whose hls folder is a fresh tmpfs. */
  function smallDisk(): { dataDir: string; hls: string } {
    const dataDir = mkdtempSync(join(tmpdir(), 'wxlive-small-disk-'));
    const hls = join(dataDir, 'hls');
    mkdirSync(hls);
    if (!mountSmallDisk(hls, 48)) throw new Error('running as root but could not mount a tmpfs');
    mounted = hls;
    return { dataDir, hls };
  }

  test('the disk fills past the watermark mid-broadcast: ENDLIST, new publishes refused until there is room again', async () => {
    const { dataDir, hls } = smallDisk();
    const s = await server({ DATA_DIR: dataDir, DISK_MIN_FREE_MB: '24' });
    const a = await createRoom(s.url, 'recording', 'host-a');
    const pub = await publishLive(s.url, a.room.id, a.push.url, NOISY);
    const play = await playUrls(s.url, a.room.id);
    await untilSegments(play.hls, 1);
    const filler = fillDisk(hls, 20 * MB); // someone else filled the disk
    await until(async () => (await liveText(play.hls)).endsWith('#EXT-X-ENDLIST\n'), 10000, 'the live playlist to end');
    expect(pub.proc.exitCode).toBeNull();
    expect(metricValue(await metrics(s), 'wxlive_limit_refusals_total{reason="recording_disk_low"}')).toBe(1);

    const b = await createRoom(s.url, 'waits for room', 'host-b');
    await refusedPublish(s, b.push.streamKey, 'disk_low');
    await apiAnswers(s, a.room.id);
    emptyDisk(filler);
    let pubB: ChildHandle | null = null;
    await until(async () => { // free space is asked again within a second
      pubB = await publishLive(s.url, b.room.id, b.push.url, { gop: 25 }).catch(() => null);
      return pubB !== null;
    }, 10000, 'a publish to be admitted again');
    await untilSegments((await playUrls(s.url, b.room.id)).hls, 1);
    await Promise.all([pub.stop(), pubB!.stop()]);
  }, 40000);

  test('ENOSPC without a watermark pauses the recording; it re-attaches at a keyframe once there is room', async () => {
    const { dataDir, hls } = smallDisk();
    const { log, lines } = capturingLogger();
    const s = await server({ DATA_DIR: dataDir, DISK_MIN_FREE_MB: '0' }, { log });
    const a = await createRoom(s.url, 'recording', 'host-a');
    const pub = await publishLive(s.url, a.room.id, a.push.url, NOISY);
    const play = await playUrls(s.url, a.room.id);
    await untilSegments(play.hls, 1);
    const filler = fillDisk(hls, 32 * 1024);
    await until(() => lines.some((l) => l.includes('ENOSPC') && l.includes('write failed')), 10000, 'a failed write');
    const paused = await liveText(play.hls);
    expect(paused).not.toContain('#EXT-X-ENDLIST');
    emptyDisk(filler);
    await until(async () => {
      const text = await liveText(play.hls);
      const after = text.split('#EXT-X-DISCONTINUITY\n')[1];
      return after !== undefined && (after.match(/^#EXTINF/gm) ?? []).length >= 2;
    }, 15000, 'segments after a discontinuity');
    expect(await liveText(play.hls)).not.toContain('#EXT-X-ENDLIST');
    expect(lines.some((l) => l.includes('recording resumes'))).toBe(true);
    await apiAnswers(s, a.room.id);
    await pub.stop();
  }, 40000);
});

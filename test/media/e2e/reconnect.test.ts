// Issue 3 end to end: the publisher is killed and restarted inside RECONNECT_GRACE_S. The room stays live (same
// broadcast), and the live playlist goes on after an #EXT-X-DISCONTINUITY with a growing media sequence.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as HLS from 'hls-parser';
import type { PlayUrls } from '../../../typings/api';
import { killAll, publish } from '../../helpers/ffmpeg';
import { call, createRoom } from '../../helpers/http';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import type { AdminStatsResponse } from '../../../typings/api';
import { checkPlaylist, FlvWatcher, getRoom, playUrls, sleep, until, untilStatus } from './e2e-kit';

let s: TestServer;
const viewers: FlvWatcher[] = [];
const dir = mkdtempSync(join(tmpdir(), 'wxlive-e2e-reconnect-'));

beforeAll(async () => {
  // 1 s segments (1 s GOP) and a 3 s window, so the media sequence moves within seconds
  s = await startTestServer({ RECONNECT_GRACE_S: '5', HLS_FRAGMENT_S: '1', HLS_PLAYLIST_LENGTH_S: '3' });
}, 20000);

afterAll(async () => {
  for (const v of viewers) v.close();
  await killAll();
  await s?.stop(true);
  rmSync(dir, { recursive: true, force: true });
});

async function livePlaylist(play: PlayUrls): Promise<{ text: string; list: HLS.types.MediaPlaylist }> {
  const text = await (await fetch(play.hls)).text();
  HLS.setOptions({ strictMode: true });
  return { text, list: HLS.parse(text) as HLS.types.MediaPlaylist };
}

test('killed and restarted inside the grace: same room stays live; the playlist continues after a discontinuity', async () => {
  const { room, push } = await createRoom(s.url, 'flaky uplink');
  const first = publish(push.url, { gop: 25 });
  await untilStatus(s.url, room.id, 'live', 5000);
  const startedAt = (await getRoom(s.url, room.id)).startedAt;
  const play = await playUrls(s.url, room.id);
  await until(async () => (await fetch(play.hls)).status === 200 && (await livePlaylist(play)).list.segments.length >= 3, 8000, 'three segments');
  const before = (await livePlaylist(play)).list;
  expect(before.segments.some((x) => x.discontinuity)).toBe(false);

  first.proc.kill('SIGKILL');
  await first.exited;
  // the room stays live while the publisher is away: sampled from the kill until the new publisher's media arrives
  const statuses: string[] = [];
  let back = false;
  const watch = (async () => {
    while (!back) {
      statuses.push((await getRoom(s.url, room.id)).status);
      await sleep(25); // a sampling interval, not a wait for something to happen
    }
  })();
  const publisherOf = async () => ((await call(s.url, 'GET', '/api/admin/stats', { token: s.config.secrets.adminToken })).body as AdminStatsResponse)
    .streams.find((x) => x.roomId === room.id)?.publisher;
  await until(async () => (await publisherOf()) === null, 5000, 'the server to notice the publisher is gone');
  // an FLV viewer arriving during the gap waits for the stream and gets it once the publisher is back
  const gapViewer = await FlvWatcher.open(play.flv);
  viewers.push(gapViewer);
  expect(gapViewer.status).toBe(200);
  const second = publish(push.url, { gop: 25 });
  await until(() => gapViewer.media().length > 25, 8000, 'media at the viewer that came during the gap');
  back = true;
  await watch;
  expect(statuses.length).toBeGreaterThan(3);
  expect(new Set(statuses)).toEqual(new Set(['live']));
  expect(gapViewer.headers).toBe(1);
  const firstVideo = gapViewer.media().find((t) => t.type === 9)!;
  expect([firstVideo.body[0]! >> 4, firstVideo.body[1]]).toEqual([1, 0]); // keyframe type, AVC sequence header

  // the media sequences seen while the discontinuity is in the window keep growing
  const sequences: number[] = [before.mediaSequenceBase ?? 0];
  let after: { text: string; list: HLS.types.MediaPlaylist } | null = null;
  await until(async () => {
    const p = await livePlaylist(play);
    sequences.push(p.list.mediaSequenceBase ?? 0);
    const cut = p.list.segments.findIndex((x) => x.discontinuity);
    if (cut >= 0 && p.list.segments.length - cut >= 2) after = p;
    return after !== null;
  }, 10000, 'two segments after the discontinuity');
  const { text, list } = after!;
  expect(text).toContain('#EXT-X-DISCONTINUITY\n');
  expect(list.mediaSequenceBase!).toBeGreaterThan(before.mediaSequenceBase ?? 0);
  for (let i = 1; i < sequences.length; i++) expect(sequences[i]!).toBeGreaterThanOrEqual(sequences[i - 1]!);
  // segment names go on counting: no number is reused across the reconnect
  const indexes = list.segments.map((x) => Number(x.uri.split('.')[0]));
  expect(indexes[0]).toBe(list.mediaSequenceBase);
  indexes.forEach((n, i) => expect(n).toBe(indexes[0]! + i));
  expect(indexes[0]!).toBeGreaterThan(Number(before.segments[0]!.uri.split('.')[0]));

  // the same broadcast, still live, and every listed segment (both sides of the cut) is sound
  const now = await getRoom(s.url, room.id);
  expect([now.status, now.startedAt]).toEqual(['live', startedAt]);
  expect(readdirSync(join(s.dataDir, 'hls', room.id))).toHaveLength(1);
  const checked = await checkPlaylist(play.hls, text, dir, ['video', 'audio']);
  expect(checked.problems).toEqual([]);
  expect(second.proc.exitCode).toBeNull();
}, 40000);

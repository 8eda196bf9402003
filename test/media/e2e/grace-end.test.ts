// Issue 3 end to end: the publisher is killed and does not come back within RECONNECT_GRACE_S=1. The room ends,
// /play answers 409 room_ended with the replay URL, and the replay is a finished VOD playlist that ffprobe plays
// with both streams for about as long as was published.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ffprobeJson, killAll, publish } from '../../helpers/ffmpeg';
import { call, createRoom } from '../../helpers/http';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { checkPlaylist, FlvWatcher, getRoom, playUrls, until, untilStatus } from './e2e-kit';

let s: TestServer;
let viewer: FlvWatcher | undefined;
const dir = mkdtempSync(join(tmpdir(), 'wxlive-e2e-grace-'));

beforeAll(async () => {
  s = await startTestServer({ RECONNECT_GRACE_S: '1', HLS_FRAGMENT_S: '1' });
}, 20000);

afterAll(async () => {
  viewer?.close();
  await killAll();
  await s?.stop(true);
  rmSync(dir, { recursive: true, force: true });
});

test('killed and not restarted: ended after the grace; 409 room_ended with a replay that plays as VOD', async () => {
  const { room, push } = await createRoom(s.url, 'gone for good');
  const pub = publish(push.url, { gop: 50 });
  await untilStatus(s.url, room.id, 'live', 5000);
  const play = await playUrls(s.url, room.id);
  // the viewer sees every tag from the first keyframe on: its last timestamp is how much was published
  viewer = await FlvWatcher.open(play.flv);
  await until(() => viewer!.media().some((t) => t.timestamp >= 5000), 10000, '5 s of media');

  pub.proc.kill('SIGKILL');
  await pub.exited;
  const killedAt = Date.now();
  const published = Math.max(...viewer.media().map((t) => t.timestamp)) / 1000;
  // sample the status from the kill until the room ends: live through the grace, ended only after it
  const samples: Array<{ sentAt: number; status: string }> = [];
  await until(async () => {
    const sentAt = Date.now();
    const { status } = await getRoom(s.url, room.id);
    samples.push({ sentAt, status });
    return status === 'ended';
  }, 4000, 'the room to end after the grace');
  expect(Date.now() - killedAt).toBeGreaterThanOrEqual(1000);
  expect(samples.slice(0, -1).every((x) => x.status === 'live')).toBe(true);
  // a request sent half-way through the grace still found the room live
  expect(samples.some((x) => x.status === 'live' && x.sentAt >= killedAt + 500)).toBe(true);

  const r = await call(s.url, 'GET', `/api/rooms/${room.id}/play`);
  expect([r.status, r.body.error.code]).toEqual([409, 'room_ended']);
  const replay = r.body.error.replay as string;
  expect(replay).toMatch(new RegExp(`^${s.url}/replay/${room.id}/[0-9A-Za-z]{10}/index\\.m3u8$`));

  const res = await fetch(replay);
  expect([res.status, res.headers.get('content-type')]).toEqual([200, 'application/vnd.apple.mpegurl']);
  const text = await res.text();
  expect(text).toContain('#EXT-X-PLAYLIST-TYPE:VOD\n');
  expect(text.trimEnd().split('\n').pop()).toBe('#EXT-X-ENDLIST');
  const { list, problems } = await checkPlaylist(replay, text, dir, ['video', 'audio']);
  expect(problems).toEqual([]);
  expect([list.playlistType, list.endlist]).toEqual(['VOD', true]);
  expect(list.segments.length).toBeGreaterThanOrEqual(3);

  // ffprobe plays the replay over HTTP: both streams, about as long as what was published
  const p = await ffprobeJson(replay);
  expect(p.streams.map((x) => x.codec_name).sort()).toEqual(['aac', 'h264']);
  expect(Math.abs(Number(p.format!.duration) - published)).toBeLessThan(0.5);
  const extinfTotal = list.segments.reduce((a, x) => a + x.duration, 0);
  expect(Math.abs(extinfTotal - published)).toBeLessThan(0.5);
}, 40000);

// RTMP VOD (issue 14 item 2): `rtmp://…/vod/<name>` plays library files the way nginx-rtmp's `play` does, checked
// with the clients users have: rtmpdump and ffprobe, plus a raw client for seek, pause and the status codes.
import { join } from 'node:path';
import { copyFile } from 'node:fs/promises';
import { publish } from '../../helpers/ffmpeg';
import { until } from '../../helpers/wait';
import { flvTags, makeMedia, probeDuration, rtmpdumpFile, startVod } from './vod-fixture';
import { vodClient } from './vod-client';

let vod: Awaited<ReturnType<typeof startVod>>;
const source: Record<string, number> = {};

beforeAll(async () => {
  vod = await startVod({ maxPerIp: 6 });
  for (const name of ['clip.flv', 'clip.mp4']) {
    await makeMedia(vod.dir, name);
    source[name] = (await probeDuration(join(vod.dir, name))).duration;
  }
  await makeMedia(vod.dir, 'short.mp4', 3);
  await copyFile(join(vod.dir, 'clip.mp4'), join(vod.dir, 'private-clip.mp4'));
}, 60000);

afterAll(async () => {
  await vod.close();
});

test.each(['clip.flv', 'clip.mp4'])('rtmpdump plays %s whole, paced at real time after a start burst', async (name) => {
  const out = join(vod.dir, `${name}.out.flv`);
  const res = await rtmpdumpFile(vod.url(name), out);
  expect(res.code).toBe(0);
  // 10 s of media, 1 s of it as the start burst: about 9 s, with slack for a loaded machine
  expect(res.ms).toBeGreaterThan(7500);
  expect(res.ms).toBeLessThan(14000);
  const probe = await probeDuration(out);
  expect(probe.codecs).toEqual(['aac', 'h264']);
  expect(Math.abs(probe.duration - source[name]!)).toBeLessThan(0.5);
  // audio and video start together (the MP4's edit lists: its B-frames' first composition offset)
  expect(Math.abs(probe.starts.h264! - probe.starts.aac!)).toBeLessThan(0.03);
  const tags = await flvTags(out);
  expect(tags.filter((t) => t.type === 9 && t.key).length).toBeGreaterThanOrEqual(5);
  expect(Math.max(...tags.map((t) => t.ts))).toBeGreaterThan(9500);
}, 40000);

test.each(['clip.flv', 'clip.mp4'])('ffprobe of rtmp://…/vod/%s: duration within 0.5 s of the file and both streams', async (name) => {
  const probe = await probeDuration(vod.url(name));
  expect(probe.codecs).toEqual(['aac', 'h264']);
  expect(Math.abs(probe.duration - source[name]!)).toBeLessThan(0.5);
}, 30000);

test.each(['clip.flv', 'clip.mp4'])('rtmpdump --start 5000 on %s starts at the keyframe before 5 s', async (name) => {
  const out = join(vod.dir, `${name}.start.flv`);
  // rtmpdump's --start is in seconds; it adds it to every timestamp it gets (so the server counts from the start)
  const res = await rtmpdumpFile(vod.url(name), out, ['--start', '5']);
  expect(res.code).toBe(0);
  expect(res.ms).toBeLessThan(9000); // 6 s left to play from the keyframe at 4 s, not 10
  const media = (await flvTags(out)).filter((t) => t.type !== 18);
  const firstVideo = media.find((t) => t.type === 9)!;
  expect(firstVideo.key).toBe(true);
  expect(Math.abs(firstVideo.ts - 5000)).toBeLessThanOrEqual(100);
  expect(Math.min(...media.map((t) => t.ts))).toBeGreaterThanOrEqual(4900);
  // what it got is the last 6 s of the file (4 s → 10 s)
  expect(Math.abs(Math.max(...media.map((t) => t.ts)) - 5000 - 6000)).toBeLessThan(300);
}, 30000);

test('metadata, sequence headers and Play.Complete at the end (onPlayStatus), then StreamEOF/stop', async () => {
  const c = vodClient(vod.port, 'short.mp4');
  await until(() => c.statuses.includes('NetStream.Play.Stop'), 8000, 'Play.Stop');
  expect(c.statuses.slice(0, 2)).toEqual(['NetStream.Play.Reset', 'NetStream.Play.Start']);
  const meta = c.data.find((d) => d[0] === 'onMetaData')?.[1] as { duration: number; width: number; videocodecid: number };
  expect(Math.abs(meta.duration - 3)).toBeLessThan(0.2);
  expect(meta.width).toBe(320);
  const complete = c.data.find((d) => d[0] === 'onPlayStatus')?.[1] as { code: string };
  expect(complete.code).toBe('NetStream.Play.Complete');
  // paced: the last media message came about 2 s (3 s less the burst) after the first
  const span = c.media[c.media.length - 1]![0] - c.media[0]![0];
  expect(span).toBeGreaterThan(1500);
  c.close();
}, 15000);

test('seek answers Seek.Notify and resumes from the keyframe at or before the target', async () => {
  const c = vodClient(vod.port, 'clip.mp4');
  await until(() => c.media.length > 20, 5000, 'media');
  c.seek(6500);
  await until(() => c.statuses.includes('NetStream.Seek.Notify'), 3000, 'Seek.Notify');
  const at = c.statusAt.find(([code]) => code === 'NetStream.Seek.Notify')![1];
  await until(() => c.media.length > at + 40, 5000, 'media after the seek');
  // after Seek.Notify: the sequence headers and the keyframe at 6 s (GOP 2 s), the file's own timestamps
  const after = c.media.slice(at).map(([, ts]) => ts);
  expect(Math.min(...after)).toBe(6000);
  expect(after[0]).toBe(6000);
  c.close();
}, 20000);

test('pause stops the media (Pause.Notify), unpause resumes where it stopped (Unpause.Notify)', async () => {
  const c = vodClient(vod.port, 'clip.flv');
  await until(() => c.media.length > 0 && c.media[c.media.length - 1]![1] > 2000, 5000, 'media past 2 s');
  c.pause(true, 2000);
  await until(() => c.statuses.includes('NetStream.Pause.Notify'), 3000, 'Pause.Notify');
  await new Promise((r) => setTimeout(r, 300));
  const paused = c.media.length;
  const lastTs = c.media[paused - 1]![1];
  await new Promise((r) => setTimeout(r, 1500));
  expect(c.media.length).toBe(paused);
  c.pause(false, lastTs);
  await until(() => c.statuses.includes('NetStream.Unpause.Notify'), 3000, 'Unpause.Notify');
  await until(() => c.media.length > paused + 20, 5000, 'media after unpause');
  const resumed = c.media.slice(paused).map(([, ts]) => ts);
  expect(Math.min(...resumed)).toBeGreaterThanOrEqual(lastTs - 50);
  c.close();
}, 20000);

test('a private video is refused without a signature (Play.Failed) and plays with one', async () => {
  const refused = vodClient(vod.port, 'private-clip.mp4');
  await until(() => refused.closed !== null, 5000, 'refusal');
  expect(refused.closed).toContain('NetStream.Play.Failed');
  const signed = vodClient(vod.port, 'private-clip.mp4?sign=good');
  await until(() => signed.media.length > 10, 5000, 'signed play media');
  expect(signed.statuses).toContain('NetStream.Play.Start');
  signed.close();
  // rtmpdump sends `…/vod/private-clip.mp4?sign=good` as "mp4:private-clip.mp4?sign=good"
  const out = join(vod.dir, 'private.out.flv');
  expect((await rtmpdumpFile(vod.url('private-clip.mp4'), out, ['--stop', '1'])).code).toBe(1);
  await rtmpdumpFile(vod.url('private-clip.mp4?sign=good'), out, ['--stop', '1']);
  expect((await flvTags(out)).filter((t) => t.type === 9).length).toBeGreaterThan(10);
}, 20000);

test('missing files and path tricks get StreamNotFound; rtmpdump of a missing name fails', async () => {
  for (const name of ['nope.mp4', '../clip.mp4', '..%2Fclip.mp4', '.hidden.flv', 'clip.mp4/../clip.flv', 'clip.txt']) {
    const c = vodClient(vod.port, name);
    await until(() => c.closed !== null, 5000, `refusal of ${name}`);
    expect([name, c.closed]).toEqual([name, 'refused: NetStream.Play.StreamNotFound']);
  }
  const res = await rtmpdumpFile(vod.url('nope.flv'), join(vod.dir, 'nope.out.flv'));
  expect(res.code).not.toBe(0);
});

test('the vod app is play only: a publish to it is refused', async () => {
  const pub = publish(vod.url('evil.flv'), { durationS: 3 });
  const { code } = await pub.exited;
  expect(code).not.toBe(0);
  expect(pub.stderr()).toContain('this app is play only');
}, 20000);

test('VOD players per address are capped; a seek flood closes the player', async () => {
  const players = Array.from({ length: 6 }, () => vodClient(vod.port, 'clip.mp4'));
  await until(() => players.every((p) => p.media.length > 0), 8000, 'six players');
  const seventh = vodClient(vod.port, 'clip.mp4');
  await until(() => seventh.closed !== null, 5000, 'seventh refused');
  expect(seventh.closed).toBe('refused: NetStream.Play.Failed');
  for (let i = 0; i < 300; i++) players[0]!.seek((i * 37) % 9000);
  await until(() => players[0]!.closed !== null, 5000, 'flooder closed');
  expect(players[1]!.closed).toBeNull();
  for (const p of players) p.close();
}, 20000);

// The RTMP ingest with real peers: ffmpeg publishes, rtmpdump/ffmpeg play, a raw client probes admission.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RtmpIngest } from '../../../server/media/rtmp/rtmp-ingest';
import { ffprobeJson, killAll, publish, rtmpdump } from '../../helpers/ffmpeg';
import { RawRtmpClient } from '../../helpers/rtmp-client';
import { count, isFlvHeader, roomId, startIngest, TagRecorder, testHooks, until, within, type HookLog } from './rtmp-fixture';

let ingest: RtmpIngest;
let url: (room: string, query?: string) => string;
let port: number;
let hooks: HookLog;
const dir = mkdtempSync(join(tmpdir(), 'wxlive-rtmp-'));

beforeAll(async () => {
  hooks = testHooks();
  ({ ingest, url, port } = await startIngest(hooks.hooks));
});
afterAll(async () => {
  await killAll();
  await ingest.stop();
  rmSync(dir, { recursive: true, force: true });
});

const fileSize = (file: string) => { try { return statSync(file).size; } catch { return 0; } };

/** An AVC or AAC sequence header tag: packet type byte (body[1]) 0. */
const isSeqHeader = (tag: Buffer) => (tag[0] === 8 || tag[0] === 9) && tag[12] === 0;

test('an admitted publish reaches a tap: FLV header, metadata, sequence headers, then media; hooks in order', async () => {
  const room = roomId();
  const tap = new TagRecorder();
  const detach = ingest.subscribe(room, tap);
  const pub = publish(url(room));
  await until(() => tap.tags.length > 60, 15000, 'media tags on the tap');

  expect(isFlvHeader(tap.tags[0]!)).toBe(true);
  const types = tap.types();
  expect(types[0]).toBe(18); // onMetaData first, as ffmpeg sends it
  const firstAudio = tap.tags.findIndex((t) => t[0] === 8);
  const firstVideo = tap.tags.findIndex((t) => t[0] === 9);
  expect(isSeqHeader(tap.tags[firstAudio]!)).toBe(true);
  expect(isSeqHeader(tap.tags[firstVideo]!)).toBe(true);
  expect(tap.tags[firstVideo + 1] && tap.tags.slice(firstVideo + 1).some((t) => t[0] === 9 && (t[11]! >> 4) === 1)).toBe(true);
  // every tag is whole: 11-byte header + body + previous-tag-size trailer
  for (const t of tap.tags.slice(1)) expect(t.readUInt32BE(t.length - 4)).toBe(t.length - 4);

  expect(hooks.events.filter(([, r]) => r === room).map(([n]) => n)).toEqual(['admitPublish', 'publishStarted']);
  await until(() => (ingest.publisher(room)?.bitrateIn ?? 0) > 0, 5000, 'an input bitrate');
  const info = ingest.publisher(room)!;
  expect(info.address).toBe('127.0.0.1');
  expect(info.video).toEqual({ codec: 'H264', width: 320, height: 240, fps: expect.closeTo(25, 0) });
  expect(info.audio).toEqual({ codec: 'AAC', sampleRate: 44100, channels: 1 });
  expect(info.bytesIn).toBeGreaterThan(10000);

  // a tap attached mid-stream starts with the header, metadata, both sequence headers, then a keyframe
  const late = new TagRecorder();
  const detachLate = ingest.subscribe(room, late);
  expect(isFlvHeader(late.tags[0]!)).toBe(true);
  expect(late.types().slice(0, 3)).toEqual([18, 8, 9]);
  expect(isSeqHeader(late.tags[2]!) && isSeqHeader(late.tags[3]!)).toBe(true);
  expect(late.tags[4]![0]).toBe(9);
  expect(late.tags[4]![11]! >> 4).toBe(1); // frame type 1: keyframe
  detachLate();

  await pub.stop();
  await until(() => count(hooks, 'publishStopped', room) === 1, 2000, 'publishStopped');
  expect(tap.ends).toBe(1);
  expect(ingest.publisher(room)).toBeNull();
  detach();
});

test('rtmpdump plays the stream; ffprobe finds H.264 and AAC in what it got', async () => {
  const room = roomId();
  const pub = publish(url(room));
  await until(() => ingest.publisher(room) !== null, 10000, 'the publisher');
  const out = join(dir, `${room}.flv`);
  const player = rtmpdump(url(room), out);
  await until(() => count(hooks, 'playStarted', room) === 1, 5000, 'playStarted');
  expect(ingest.rtmpViewers(room)).toBe(1);
  // a few seconds of media (the sequence headers come first), so ffprobe has both tracks to find
  await until(() => fileSize(out) > 64 * 1024, 15000, 'rtmpdump to write 64 KB');
  await player.stop();
  await until(() => count(hooks, 'playStopped', room) === 1, 2000, 'playStopped');
  const probe = await ffprobeJson(out);
  expect(probe.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
  // RTMP chunk headers and FLV tag headers differ by a few bytes per message
  expect(ingest.bytesOut(room)).toBeGreaterThan(statSync(out).size * 0.9);
  expect(ingest.bytesOut(room)).toBeLessThan(statSync(out).size * 1.1);
  expect(ingest.rtmpViewers(room)).toBe(0);
  await pub.stop();
});

test('refused publishes (signature at once, room check later) reach nobody and ffmpeg exits', async () => {
  for (const k of ['nope', 'deny']) {
    const room = roomId();
    const tap = new TagRecorder();
    const detach = ingest.subscribe(room, tap);
    const pub = publish(url(room, `k=${k}`));
    const exit = await within(pub.exited, 8000);
    expect(exit).not.toBeNull();
    expect(exit!.code).not.toBe(0);
    expect(tap.tags.length).toBe(1); // the FLV header only
    expect(ingest.publisher(room)).toBeNull();
    expect(count(hooks, 'publishStarted', room) + count(hooks, 'publishStopped', room)).toBe(0);
    detach();
  }
});

test('packets sent before admission are held, then flushed in order (or dropped on refusal)', async () => {
  for (const k of ['ok', 'deny']) {
    const room = roomId();
    const tap = new TagRecorder();
    const detach = ingest.subscribe(room, tap);
    const player = await RawRtmpClient.open(port);
    await player.handshake();
    player.start('play', port, `${room}?k=ok`);
    await player.waitForText('NetStream.Play.Start');
    const c = await RawRtmpClient.open(port);
    await c.handshake();
    c.start('publish', port, `${room}?k=${k}`);
    // an eager client: media right after publish, before any Publish.Start
    for (let i = 0; i < 5; i++) c.sendMedia(8, Buffer.from(`\xaf\x01HELD-${k}-${i}`, 'latin1'), i * 20);
    if (k === 'ok') {
      await c.waitForText('NetStream.Publish.Start');
      await until(() => tap.tags.length === 6, 3000, 'the flushed packets');
      expect(tap.tags.slice(1).map((t) => t.subarray(13, t.length - 4).toString('latin1'))).toEqual([0, 1, 2, 3, 4].map((i) => `HELD-ok-${i}`));
      c.sendMedia(8, Buffer.from('\xaf\x01AFTER', 'latin1'), 200);
      await until(() => tap.tags.length === 7, 3000, 'a live packet');
      expect(count(hooks, 'publishStarted', room)).toBe(1);
      await player.waitForText('HELD-ok-4'); // the RTMP player got the flushed packets too
      await player.waitForText('AFTER');
    } else {
      await c.waitForText('NetStream.Publish.BadName');
      await c.waitForClose(2500);
      expect(c.receivedText()).not.toContain('NetStream.Publish.Start');
      expect(tap.all().includes('HELD-deny')).toBe(false);
      expect(tap.tags.length).toBe(1);
      expect(player.receivedText()).not.toContain('HELD-deny');
    }
    c.destroy();
    player.destroy();
    detach();
  }
});

test('a second publisher is refused while the first is live; the first keeps going', async () => {
  const room = roomId();
  const tap = new TagRecorder();
  const detach = ingest.subscribe(room, tap);
  const first = publish(url(room));
  await until(() => count(hooks, 'publishStarted', room) === 1, 10000, 'the first publisher');
  const second = publish(url(room));
  const exit = await within(second.exited, 8000);
  expect(exit?.code).not.toBe(0);
  const before = tap.bytes;
  await until(() => tap.bytes > before, 5000, 'the first publisher to keep flowing');
  expect(count(hooks, 'publishStarted', room)).toBe(1);
  expect(first.proc.exitCode).toBeNull();
  await first.stop();
  detach();
});

test('play without the key is refused with an error status; nothing is sent', async () => {
  const room = roomId();
  const pub = publish(url(room));
  await until(() => ingest.publisher(room) !== null, 10000, 'the publisher');
  const c = await RawRtmpClient.open(port);
  await c.handshake();
  c.start('play', port, `${room}?k=wrong`);
  await c.waitForText('NetStream.Play.Failed');
  await c.waitForClose(2500);
  expect(c.receivedText()).not.toContain('NetStream.Play.Start');
  expect(count(hooks, 'playStarted', room)).toBe(0);
  // other apps and malformed names are refused before any hook
  for (const path of ['other/' + room, `live/${room}x`, 'live/bad name']) {
    const p = await RawRtmpClient.open(port);
    await p.handshake();
    p.connectApp(`rtmp://127.0.0.1:${port}/${path.split('/')[0]}`, path.split('/')[0]);
    p.invoke('play', null, `${path.split('/')[1]}?k=ok`);
    await p.waitForText('NetStream.Play.Failed');
    await p.waitForClose(2500);
  }
  await pub.stop();
});

test('disconnect(room) closes the publisher and its RTMP players within 2 s; a new publish then works', async () => {
  const room = roomId();
  const pub = publish(url(room));
  // its first packet in the hub (publishStarted): a loaded machine's ffmpeg may be admitted well before it encodes one
  await until(() => ingest.publisher(room) !== null && count(hooks, 'publishStarted', room) === 1, 10000, 'the publisher');
  const player = rtmpdump(url(room), join(dir, `${room}-d.flv`), 30);
  await until(() => ingest.rtmpViewers(room) === 1, 5000, 'the player');
  const t0 = Date.now();
  ingest.disconnect(room);
  await until(() => ingest.publisher(room) === null && ingest.rtmpViewers(room) === 0, 2000, 'everyone gone');
  expect(count(hooks, 'publishStopped', room)).toBe(1);
  await Promise.all([pub.exited, player.exited]);
  expect(Date.now() - t0).toBeLessThan(5000);

  // same room, same address, right away
  const again = publish(url(room));
  await until(() => count(hooks, 'publishStarted', room) === 2, 10000, 'the new publisher');
  await again.stop();
  await until(() => count(hooks, 'publishStopped', room) === 2, 2000, 'its publishStopped');
});

test('a publisher that stops is reported at once and the room takes a new publisher', async () => {
  const room = roomId();
  const tap = new TagRecorder();
  const detach = ingest.subscribe(room, tap);
  for (let round = 1; round <= 2; round++) {
    const pub = publish(url(room));
    await until(() => count(hooks, 'publishStarted', room) === round, 10000, `publisher ${round}`);
    const bytes = tap.bytes;
    await until(() => tap.bytes > bytes, 5000, `publisher ${round} to keep flowing`);
    const stopAt = Date.now();
    await pub.stop();
    await until(() => count(hooks, 'publishStopped', room) === round, 1500, `publishStopped ${round}`);
    expect(Date.now() - stopAt).toBeLessThan(1500);
  }
  expect(tap.ends).toBe(2);
  // the second publish reached the still-attached tap as a new FLV stream: header, metadata, sequence headers
  expect(tap.tags.filter(isSeqHeader).length).toBe(4);
  const headers = tap.tags.map((t, i) => (isFlvHeader(t) ? i : -1)).filter((i) => i >= 0);
  expect(headers.length).toBe(2);
  expect(tap.tags[headers[1]! + 1]![0]).toBe(18);
  expect(tap.tags.slice(headers[1]!).filter(isSeqHeader).length).toBe(2);
  // a tap attached between publishes has seen only a header: the next publish adds none
  const between = new TagRecorder();
  const detachBetween = ingest.subscribe(room, between);
  const third = publish(url(room));
  await until(() => between.tags.length > 20, 10000, 'the third publish');
  expect(between.tags.filter(isFlvHeader).length).toBe(1);
  await third.stop();
  detachBetween();
  detach();
});

test('audio-only and video-only publishes reach the tap with only their track', async () => {
  for (const [opts, kind] of [[{ video: false }, 8], [{ audio: false }, 9]] as const) {
    const room = roomId();
    const tap = new TagRecorder();
    const detach = ingest.subscribe(room, tap);
    const pub = publish(url(room), opts);
    await until(() => tap.types().filter((t) => t === kind).length > 10, 10000, `type ${kind} tags`);
    expect(new Set(tap.types())).toEqual(new Set([18, kind]));
    const info = ingest.publisher(room)!;
    expect(kind === 8 ? info.video : info.audio).toBeNull();
    expect(kind === 8 ? info.audio?.codec : info.video?.codec).toBe(kind === 8 ? 'AAC' : 'H264');
    await pub.stop();
    detach();
  }
});

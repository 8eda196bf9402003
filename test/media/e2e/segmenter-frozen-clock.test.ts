// Issue 10 row 1 end to end: a signed publisher sends its sequence headers (H.264 and AAC), one real second of
// video, then 400 video frames of 1 MiB that all carry the same timestamp and no audio. Before the segmenter's
// bounds this held every frame in memory (RSS +400 MB) and flushed one 429 MB segment. Now the built server (its
// own process, started as `npm start` does, so its RSS is its own) grows by at most 64 MB, every segment on disk
// stays within HLS_MAX_SEGMENT_MB, and another room's live playlist keeps advancing throughout.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlayUrls } from '../../../typings/api';
import { killAll as killPublishers, type ChildHandle } from '../../helpers/ffmpeg';
import { createRoom } from '../../helpers/http';
import { publishLive } from '../../helpers/live';
import { chunkMessage, RawRtmpClient } from '../../helpers/rtmp-client';
import { splitFlv } from '../hls/helpers/flv-file';
import { encodeOnce } from '../hls/helpers/media-tools';
import { bootServer, killAll as killServers, type ServerProcess } from '../../process/spawn-server';
import { playUrls, until, untilStatus } from './e2e-kit';

const MIB = 1024 * 1024;
const FRAMES = 400;
const MAX_SEGMENT_MB = 6;
let dataDir: string;
let proc: ServerProcess;
let base: string;
let rtmpPort: number;
let other: ChildHandle;
let otherPlay: PlayUrls;
let tags: Buffer[];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'wxlive-frozen-'));
  const flv = join(dataDir, 'seed.flv');
  await encodeOnce(['-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=25', '-f', 'lavfi', '-i', 'sine=sample_rate=44100',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '25', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-t', '2', '-f', 'flv', flv]);
  tags = splitFlv(readFileSync(flv)).slice(1);
  const booted = await bootServer({
    DATA_DIR: join(dataDir, 'data'), HLS_FRAGMENT_S: '1', HLS_MAX_SEGMENT_MB: String(MAX_SEGMENT_MB), LOG_LEVEL: 'warn',
    PUBLISH_MAX_SPEED: '1000', // the attack under test is the frozen clock; the seed second goes out at once
  });
  proc = booted.proc;
  base = booted.base;
  rtmpPort = booted.rtmpPort!;
  const b = await createRoom(base, 'the room that must keep playing', 'host-b');
  other = await publishLive(base, b.room.id, b.push.url, { durationS: 120 });
  otherPlay = await playUrls(base, b.room.id);
}, 60000);

afterAll(async () => {
  await killPublishers();
  await proc?.stop();
  killServers();
  rmSync(dataDir, { recursive: true, force: true });
});

const rssBytes = (): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${proc.child.pid}/status`, 'utf8'))![1]) * 1024;
/** the other room's newest segment index, from its live playlist */
async function otherNewest(): Promise<number> {
  const text = await (await fetch(otherPlay.hls)).text();
  const seq = Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(text)?.[1] ?? -1);
  return seq + (text.match(/^#EXTINF/gm) ?? []).length - 1;
}

/** FLV tag fields → the RTMP message (type, timestamp, body) the publisher sends. */
const flvType = (tag: Buffer): number => tag[0]! & 0x1f;
const flvTime = (tag: Buffer): number => tag.readUIntBE(4, 3) + tag[7]! * 0x1000000;
const flvBody = (tag: Buffer): Buffer => tag.subarray(11, 11 + tag.readUIntBE(1, 3));

/** An AVCC video tag body: keyframe or not, one NAL unit (IDR or non-IDR slice) of `size` bytes behind its 4-byte length. */
function bigFrame(key: boolean, size: number): Buffer {
  const b = Buffer.alloc(5 + 4 + size, 0x5a);
  b[0] = key ? 0x17 : 0x27; // frame type (1 key / 2 inter) << 4 | codec 7 (AVC)
  b[1] = 1; // AVC NALU
  b.writeUIntBE(0, 2, 3); // composition time 0
  b.writeUInt32BE(size, 5);
  b[9] = key ? 0x65 : 0x41; // NAL header: IDR slice / non-IDR slice
  return b;
}

test('400 frozen-timestamp 1 MiB frames: RSS +64 MB at most, segments within HLS_MAX_SEGMENT_MB, the other room plays on', async () => {
  const a = await createRoom(base, 'frozen clock', 'host-a');
  const c = await RawRtmpClient.open(rtmpPort);
  await c.handshake();
  c.setChunkSize(65536);
  c.start('publish', rtmpPort, a.push.streamKey);
  await c.waitForText('NetStream.Publish.Start');
  // sequence headers and the first second as ffmpeg wrote it (two keyframes, audio and video)
  for (const tag of tags.filter((t) => flvTime(t) <= 1000 && flvType(t) !== 18)) c.sendMedia(flvType(tag) as 8 | 9, flvBody(tag), flvTime(tag));
  await untilStatus(base, a.room.id, 'live', 5000);
  await until(async () => (await otherNewest()) >= 2, 10000, 'the other room to list segments');

  const rss0 = rssBytes();
  let peak = rss0;
  const sampler = setInterval(() => { peak = Math.max(peak, rssBytes()); }, 20);
  const otherBefore = await otherNewest();
  try {
    const frozenAt = 1100; // past HLS_FRAGMENT_S: the first keyframe here is a cut point (held, waiting for audio)
    for (let i = 0; i < FRAMES; i++) {
      const msg = chunkMessage({ csid: 6, type: 9, streamId: 1, timestamp: frozenAt, payload: bigFrame(i % 5 === 0, MIB) }, 65536);
      if (!c.socket.write(msg)) await new Promise((r) => c.socket.once('drain', r));
      expect(c.isClosed).toBe(false);
    }
    // everything sent has reached the server once it answers a ping-like round trip: wait for the files to settle
    const dir = join(dataDir, 'data', 'hls', a.room.id);
    const onDisk = (): number => fileSizes(dir, () => true).reduce((x, y) => x + y, 0);
    await until(() => onDisk() >= (FRAMES - 20) * MIB, 20000, 'the frames to reach the disk');
  } finally {
    clearInterval(sampler);
  }
  await until(async () => (await otherNewest()) >= otherBefore + 2, 10000, 'the other room to list newer segments');

  expect(peak - rss0).toBeLessThanOrEqual(64 * MIB);
  const dir = join(dataDir, 'data', 'hls', a.room.id);
  const sizes = fileSizes(dir, (f) => /\.ts(\..*\.tmp)?$/.test(f));
  expect(sizes.length).toBeGreaterThan((FRAMES * MIB) / (MAX_SEGMENT_MB * MIB)); // cut while it streamed, not at the end
  expect(Math.max(...sizes)).toBeLessThanOrEqual(MAX_SEGMENT_MB * MIB);
  expect(other.proc.exitCode).toBeNull();
  expect((await fetch(`${base}/healthz`)).status).toBe(200);
  c.destroy();
}, 90000);

/**
 * Sizes of the files in each broadcast folder of `dir`; listed again when one vanished between the listing and its
 * stat (a temp segment renamed into place meanwhile), so each file is counted under one of its names.
 */
function fileSizes(dir: string, keep: (file: string) => boolean): number[] {
  for (;;) {
    try {
      return readdirSync(dir).flatMap((bid) => readdirSync(join(dir, bid)).filter(keep).map((f) => statSync(join(dir, bid, f)).size));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
}

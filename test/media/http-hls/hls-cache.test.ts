// HlsCache on its own and as the recorder fills it: bounded to the live window plus the grace segments (and
// never more than its cap), each segment one Buffer byte-equal to the pipeline's output, released bodies
// counted out, and the signed playlist built once per (version, signature) with a bounded set of signatures.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { HlsPipeline } from '../../../server/media/hls';
import { freeTsBlocks } from '../../../server/media/hls/ts-blocks';
import { HlsCache } from '../../../server/media/hls-output/hls-cache';
import { HlsRecorder } from '../../../server/media/hls-output/hls-recorder';
import { splitFlv } from '../hls/helpers/flv-file';
import { encodeOnce } from '../hls/helpers/media-tools';
import { capturingLogger } from '../../helpers/test-server';

let dir: string;
let tags: Buffer[];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wxlive-hls-cache-'));
  const file = join(dir, 'in.flv');
  // 1 s GOP, 12 s at ~1 Mbps: twelve 1 s segments of a few 64 KiB blocks each
  await encodeOnce(['-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=25', '-f', 'lavfi', '-i', 'sine=sample_rate=44100',
    '-vf', 'noise=alls=20:allf=t', '-c:v', 'libx264', '-preset', 'ultrafast', '-b:v', '1000k', '-maxrate', '1000k', '-bufsize', '1000k',
    '-g', '25', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-t', '12', '-f', 'flv', file]);
  tags = splitFlv(readFileSync(file));
}, 60_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('holds at most maxSegments, dropping the oldest; counts the bytes it holds; validators made once', () => {
  const cache = new HlsCache('Broadcast1', 3);
  for (let i = 0; i < 5; i++) cache.addSegment(i, Buffer.alloc(100 + i), Date.UTC(2026, 0, 1, 0, 0, i, 750));
  expect([cache.size, cache.heldBytes]).toEqual([3, 102 + 103 + 104]);
  expect([0, 1, 2, 3, 4].map((i) => cache.segment(i) !== undefined)).toEqual([false, false, true, true, true]);
  const seg = cache.segment(4)!;
  // the ETag names the segment and its size, and this cache by an opaque tag (never the broadcast id)
  expect(seg.etag).toMatch(/^"[\w-]{8}-4-104"$/);
  expect(seg.etag).not.toContain('Broadcast1');
  expect(new HlsCache('Broadcast1', 3).addSegment(4, Buffer.alloc(104)).etag).not.toBe(seg.etag); // another broadcast's 4.ts
  expect([seg.lastModified, seg.modifiedMs]).toEqual(['Thu, 01 Jan 2026 00:00:04 GMT', Date.UTC(2026, 0, 1, 0, 0, 4)]);
  cache.release(4); // on disk and unwatched: served from its file, validators kept
  expect([cache.segment(4)!.body, cache.segment(4)!.etag, cache.heldBytes]).toEqual([null, seg.etag, 205]);
  cache.drop(2);
  cache.drop(2);
  expect([cache.size, cache.heldBytes]).toEqual([2, 103]);
});

test('the playlist is signed per viewer signature, once per version; at most 16 signatures are kept', () => {
  const cache = new HlsCache('Broadcast1', 3);
  expect(cache.playlist('?s=a')).toBeNull();
  cache.setPlaylist('#EXTM3U\n#EXTINF:1.000,\n7.ts\n#EXT-X-DISCONTINUITY\n#EXTINF:2.000,\n8.ts\n');
  const a = cache.playlist('?s=a')!;
  expect(a.toString()).toBe('#EXTM3U\n#EXTINF:1.000,\n7.ts?s=a\n#EXT-X-DISCONTINUITY\n#EXTINF:2.000,\n8.ts?s=a\n');
  expect(cache.playlist('?s=a')).toBe(a); // the same Buffer: no work per request
  expect(cache.playlist('?s=b')!.toString()).toContain('8.ts?s=b\n');
  for (let i = 0; i < 20; i++) cache.playlist(`?s=${i}`);
  expect(cache.playlist('?s=a')).not.toBe(a); // pushed out by newer signatures, rebuilt equal
  expect(cache.playlist('?s=a')!.equals(a)).toBe(true);
  cache.setPlaylist('#EXTM3U\n#EXTINF:1.000,\n9.ts\n#EXT-X-ENDLIST\n');
  expect(cache.playlist('?s=a')!.toString()).toBe('#EXTM3U\n#EXTINF:1.000,\n9.ts?s=a\n#EXT-X-ENDLIST\n');
});

/** Feeds every tag, with a disk that keeps up (as it does at real time: a 12 s stream is fed here in well under 1 s). */
async function feed(rec: HlsRecorder, each?: () => void): Promise<void> {
  for (const [i, t] of tags.entries()) {
    rec.onTag(t);
    each?.();
    if (i % 10 === 0) await rec.settled();
  }
}

test('the recorder keeps the live window plus 3 grace segments in memory, each equal to the pipeline output', async () => {
  const expected = new HlsPipeline({ fragmentS: 1 });
  const inMemory = tags.flatMap((t) => expected.pushTag(t)).map((s) => ({ index: s.index, bytes: Buffer.concat(s.chunks) }));
  expect(inMemory.length).toBeGreaterThanOrEqual(10);
  const rec = new HlsRecorder({ dir: join(dir, 'watched'), fragmentS: 1, playlistLengthS: 3, replay: true, log: pino({ level: 'silent' }) });
  const sizes: number[] = [];
  await feed(rec, () => {
    rec.cache.lastRequestAt = Date.now(); // a viewer fetches all the time
    sizes.push(rec.cache.size);
  });
  await rec.settled();
  // a 3 s window of 1 s segments, and 3 more for players still fetching what just left it
  expect(Math.max(...sizes)).toBe(6);
  const newest = inMemory.slice(-6);
  for (const seg of newest) expect(rec.cache.segment(seg.index)?.body?.equals(seg.bytes)).toBe(true);
  expect(rec.cache.segment(newest[0]!.index - 1)).toBeUndefined();
  expect(rec.cache.heldBytes).toBe(newest.reduce((n, s) => n + s.bytes.length, 0));
  // the playlist served from memory lists the window
  expect(rec.cache.playlist('')!.toString().match(/^\d+\.ts$/gm)).toEqual(inMemory.slice(-3).map((s) => `${s.index}.ts`));
  rec.end();
  await rec.settled();
}, 30_000);

test('nobody watching: a segment leaves memory once it is on disk', async () => {
  const rec = new HlsRecorder({ dir: join(dir, 'unwatched'), fragmentS: 1, playlistLengthS: 3, replay: true, log: pino({ level: 'silent' }) });
  await feed(rec);
  await rec.settled();
  expect([rec.cache.size, rec.cache.heldBytes]).toEqual([6, 0]);
  rec.end();
  await rec.settled();
}, 30_000);

test('nobody watching: segments are written straight from the pooled blocks, never copied; a request waits for the file', async () => {
  const expected = new HlsPipeline({ fragmentS: 1 });
  const outputs = new Map(tags.flatMap((t) => expected.pushTag(t)).map((s) => [s.index, Buffer.concat(s.chunks)]));
  const folder = join(dir, 'unwatched-direct');
  const rec = new HlsRecorder({ dir: folder, fragmentS: 1, playlistLengthS: 3, replay: true, log: pino({ level: 'silent' }) });
  await rec.settled(); // the folder is read: segments are stored as they are cut
  const waits: Promise<number>[] = [];
  for (const t of tags) {
    const before = rec.cache.size;
    rec.onTag(t);
    if (rec.cache.size === before) continue;
    const index = Math.max(...[...outputs.keys()].filter((i) => rec.cache.segment(i)));
    const seg = rec.cache.segment(index)!;
    expect([seg.body, seg.bytes]).toEqual([null, outputs.get(index)!.length]); // no copy, not even while it is written
    const landed = rec.cache.whenLanded(index);
    expect(landed).toBeInstanceOf(Promise); // the file is not in place yet
    waits.push(landed!.then(() => index));
  }
  expect(waits.length).toBeGreaterThanOrEqual(6);
  for (const index of await Promise.all(waits)) {
    expect(readFileSync(join(folder, `${index}.ts`)).equals(outputs.get(index)!)).toBe(true); // byte-equal, once in place
    expect(rec.cache.whenLanded(index)).toBeUndefined(); // in place (or gone from the window): nothing to wait for
  }
  rec.end();
  await rec.settled();
  expect(freeTsBlocks()).toBeGreaterThan(0); // written blocks went back to the pool
}, 30_000);

test('a disk that makes no progress holds at most 8 finished segments in memory: then recording pauses', async () => {
  const { log, lines } = capturingLogger();
  const listed: number[] = [];
  const rec = new HlsRecorder({
    dir: join(dir, 'stuck'), fragmentS: 1, playlistLengthS: 3, replay: true, log, onSegment: (i) => listed.push(i.index),
  });
  await rec.settled(); // the folder is read (a new broadcast: numbering from 0) and made
  for (const t of tags) rec.onTag(t); // no tick: not one write gets done meanwhile
  expect(listed).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  expect(lines.some((l) => l.includes('the disk is too slow') && l.includes('write failed'))).toBe(true);
  await rec.settled();
  rec.end();
  await rec.settled();
}, 30_000);

test('past maxBytes the oldest bodies already on disk go (served from their files); bodies not yet written stay', () => {
  const cache = new HlsCache('b', 100, 3000);
  for (let i = 0; i < 4; i++) cache.addSegment(i, Buffer.alloc(1000, i));
  expect(cache.heldBytes).toBe(4000); // nothing is on disk yet: nothing may go
  cache.landed(2);
  expect([cache.segment(2)!.body, cache.heldBytes]).toEqual([null, 3000]);
  expect(cache.segment(0)!.body).not.toBeNull();
  cache.landed(0);
  cache.landed(1);
  expect(cache.heldBytes).toBe(3000); // within the budget: on disk, but kept
  cache.addSegment(4, Buffer.alloc(1000, 4));
  expect([cache.segment(0)!.body, cache.segment(1)!.body]).toEqual([null, expect.any(Buffer)]); // oldest first
  expect(cache.heldBytes).toBe(3000);
  cache.landed(99); // not cached: ignored
  expect(cache.size).toBe(5);
});

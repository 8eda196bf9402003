// HlsRecorder on disk: segments written block by block as they are muxed land whole, byte for byte what
// the pipeline produces in memory, with no temp file left behind and a playlist that lists them. Then the
// folder judged on its own by real readers: hls-parser (strict) reads both playlists, ffprobe and ffmpeg
// every segment they list.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as HLS from 'hls-parser';
import pino from 'pino';
import { HlsPipeline } from '../../../server/media/hls';
import { HlsRecorder } from '../../../server/media/hls-output/hls-recorder';
import { LIVE_PLAYLIST, VOD_PLAYLIST } from '../../../server/media/hls-output/hls-paths';
import { splitFlv } from '../hls/helpers/flv-file';
import { decodeErrors, encodeRateCappedFlv, ffprobe } from '../hls/helpers/media-tools';

let dir: string;
let tags: Buffer[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wxlive-recorder-'));
  const file = join(dir, 'in.flv');
  // 1.5 Mbps: 2 s segments of ~400 KB, many 64 KiB blocks each
  await encodeRateCappedFlv(file, { size: '640x360', videoKbps: 1500, noise: 20, seconds: 5 });
  tags = splitFlv(readFileSync(file));
}, 60000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('every segment on disk equals the in-memory pipeline output; no temp files; ENDLIST after end()', async () => {
  const expected = new HlsPipeline({ fragmentS: 2 });
  const inMemory = tags.flatMap((t) => expected.pushTag(t));
  inMemory.push(expected.flush()!);
  expect(inMemory.length).toBe(3);
  expect(Math.min(...inMemory.map((s) => s.bytes))).toBeGreaterThan(3 * 65536); // so blocks really spilled

  const out = join(dir, 'broadcast');
  const listed: number[] = [];
  const rec = new HlsRecorder({
    dir: out, fragmentS: 2, playlistLengthS: 10, replay: true, log: pino({ level: 'silent' }),
    onSegment: (info) => listed.push(info.index),
  });
  for (const t of tags) rec.onTag(t);
  await rec.settled(); // the disk is written off the event loop, in order
  expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toHaveLength(1); // the open segment, under a temp name
  rec.end();
  await rec.settled();

  expect(listed).toEqual([0, 1, 2]);
  expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  for (const seg of inMemory) {
    const onDisk = readFileSync(join(out, `${seg.index}.ts`));
    expect(onDisk.length).toBe(seg.bytes);
    expect(onDisk.equals(Buffer.concat(seg.chunks))).toBe(true);
  }
  for (const playlist of [LIVE_PLAYLIST, VOD_PLAYLIST]) {
    const text = readFileSync(join(out, playlist), 'utf8');
    expect(text.match(/^\d+\.ts$/gm)).toEqual(['0.ts', '1.ts', '2.ts']);
    expect(text).toMatch(/#EXT-X-ENDLIST\n$/);
  }
});

/** A playlist of the folder as a strict reader sees it: an invalid one throws here. */
function parsed(folder: string, name: string): HLS.types.MediaPlaylist {
  HLS.setOptions({ strictMode: true });
  return HLS.parse(readFileSync(join(folder, name), 'utf8')) as HLS.types.MediaPlaylist;
}

const uris = (p: HLS.types.MediaPlaylist): string[] => p.segments.map((s) => s.uri);

test('the folder as players see it: strict-valid live and VOD playlists, mid-broadcast and after a reconnect and end; every listed segment probes as H.264 + AAC for its EXTINF', async () => {
  const out = join(dir, 'judged');
  // a 2 s live window: segments leave it while the broadcast runs, so sequence numbers move
  const rec = new HlsRecorder({ dir: out, fragmentS: 2, playlistLengthS: 2, replay: true, log: pino({ level: 'silent' }) });
  for (const t of tags) rec.onTag(t);
  await rec.settled();

  // mid-broadcast, 5 s in: segments 0 and 1 (2 s each) are cut, the third is open; the window holds the newest 2 s
  const liveMid = parsed(out, LIVE_PLAYLIST);
  expect([liveMid.mediaSequenceBase, uris(liveMid), liveMid.endlist]).toEqual([1, ['1.ts'], false]);
  const vodMid = parsed(out, VOD_PLAYLIST);
  expect([vodMid.playlistType, uris(vodMid), vodMid.endlist]).toEqual(['EVENT', ['0.ts', '1.ts'], false]);

  // the publisher drops and comes back inside the grace (the same 5 s again, its clock from 0), then the room ends
  rec.pause();
  rec.resume();
  for (const t of tags) rec.onTag(t);
  rec.end();
  await rec.settled();

  // 2 + 2 + 1 s twice; the second publisher starts at 3 as a discontinuity
  const vod = parsed(out, VOD_PLAYLIST);
  expect([vod.playlistType, vod.endlist, vod.mediaSequenceBase]).toEqual(['VOD', true, 0]);
  expect(uris(vod)).toEqual(['0.ts', '1.ts', '2.ts', '3.ts', '4.ts', '5.ts']);
  expect(vod.segments.map((s) => Boolean(s.discontinuity))).toEqual([false, false, false, true, false, false]);
  // the 2 s window keeps 4 (2 s) and 5 (1 s): 0…3 left it, taking the discontinuity of 3 with them
  const live = parsed(out, LIVE_PLAYLIST);
  expect([live.mediaSequenceBase, live.discontinuitySequenceBase, uris(live), live.endlist]).toEqual([4, 1, ['4.ts', '5.ts'], true]);
  // the live playlist lists the same files with the same EXTINF as the replay
  expect(live.segments.map((s) => s.duration)).toEqual(vod.segments.slice(4).map((s) => s.duration));

  const files = uris(vod).map((u) => join(out, u));
  const probes = await Promise.all(files.map(ffprobe));
  expect(probes.map((p) => [p.stderr, p.streams.map((s) => s.codec_name)])).toEqual(files.map(() => ['', ['h264', 'aac']]));
  expect(probes.map((p) => p.packets.find((x) => x.codec_type === 'video')?.flags.startsWith('K'))).toEqual(files.map(() => true));
  // EXTINF is what a player measures: within 20 ms of ffprobe's duration, segment by segment
  const offBy = probes.map((p, i) => Math.abs(Number(p.format.duration) - vod.segments[i]!.duration));
  expect(offBy.filter((d) => !(d < 0.02))).toEqual([]);
  expect(await Promise.all(files.map(decodeErrors))).toEqual(files.map(() => ''));
}, 60000);

/** A folder as an earlier run left it: segments 0–2 listed, no ENDLIST (killed), and 4.ts renamed but never listed. */
async function earlierRun(out: string): Promise<void> {
  const first = new HlsRecorder({ dir: out, fragmentS: 2, playlistLengthS: 10, replay: true, log: pino({ level: 'silent' }) });
  for (const t of tags) first.onTag(t);
  first.pause();
  await first.settled();
  writeFileSync(join(out, '4.ts'), Buffer.alloc(188, 0x47));
}

const tagMs = (t: Buffer): number => (t.length === 13 ? 0 : t.readUIntBE(4, 3) + t[7]! * 0x1000000);

test.each([
  ['all tags and end() before the folder is read', true],
  ['the folder read while a segment is open', false],
])('a broadcast resumed on the folder an earlier run left continues its numbering and replay after a discontinuity, no tag lost: %s', async (_, allBefore) => {
  const out = join(dir, `resumed-${allBefore}`);
  await earlierRun(out);
  const expected = new HlsPipeline({ fragmentS: 2 });
  const inMemory = tags.flatMap((t) => expected.pushTag(t));
  inMemory.push(expected.flush()!);
  const listed: number[] = [];
  const rec = new HlsRecorder({ dir: out, fragmentS: 2, playlistLengthS: 10, replay: true, log: pino({ level: 'silent' }), onSegment: (i) => listed.push(i.index) });
  // in the tick the recorder is made, so the folder is still being read meanwhile: everything, or the first 3 s
  const before = allBefore ? tags : tags.filter((t) => tagMs(t) < 3000);
  for (const t of before) rec.onTag(t);
  if (allBefore) rec.end();
  expect([listed, rec.stopped]).toEqual([[], false]);
  await rec.settled();
  if (!allBefore) {
    expect(listed).toEqual([5]); // 0–2 s, cut while the folder was read; 2–4 s is open and becomes 6
    for (const t of tags.filter((x) => !before.includes(x))) rec.onTag(t);
    rec.end();
    await rec.settled();
  }

  expect([listed, rec.stopped]).toEqual([[5, 6, 7], true]);
  const vod = parsed(out, VOD_PLAYLIST);
  expect([uris(vod), vod.endlist]).toEqual([['0.ts', '1.ts', '2.ts', '5.ts', '6.ts', '7.ts'], true]);
  expect(vod.segments.map((s) => Boolean(s.discontinuity))).toEqual([false, false, false, true, false, false]);
  // each new segment is byte for byte what the pipeline makes of the same tags
  for (const [i, seg] of inMemory.entries()) expect(readFileSync(join(out, `${5 + i}.ts`)).equals(Buffer.concat(seg.chunks))).toBe(true);
  expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  // live viewers are served the same numbers
  expect(rec.cache.playlist('')?.toString().match(/^\d+\.ts$/gm)).toEqual(['5.ts', '6.ts', '7.ts']);
});

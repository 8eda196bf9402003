// HlsPipeline as the hub uses it: whole tag buffers in, segments out; hostile input is counted, never thrown.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HlsPipeline, releaseTsChunks } from '../../../server/media/hls';
import { Segmenter } from '../../../server/media/hls/segmenter';
import { splitFlv } from './helpers/flv-file';
import { encodeOnce } from './helpers/media-tools';

let dir: string;
let tags: Buffer[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wxlive-hls-pipe-'));
  const file = join(dir, 'in.flv');
  await encodeOnce(['-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=25', '-f', 'lavfi', '-i', 'sine', '-c:v', 'libx264', '-preset', 'veryfast',
    '-pix_fmt', 'yuv420p', '-g', '25', '-c:a', 'aac', '-t', '5', '-f', 'flv', file]);
  tags = splitFlv(readFileSync(file));
}, 60000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Deterministic PRNG (mulberry32) so a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('codec info from the sequence headers; input buffers are never mutated', () => {
  const p = new HlsPipeline({ fragmentS: 2 });
  const copies = tags.map((t) => Buffer.from(t));
  const segs = tags.flatMap((t) => p.pushTag(t));
  expect(segs.length).toBe(2);
  expect(p.info.video).toMatchObject({ codec: 'avc', profile: 100, width: 160, height: 120 });
  expect(p.info.audio).toMatchObject({ codec: 'aac', codecString: 'mp4a.40.2', sampleRate: 44100, channels: 1 });
  expect(tags.every((t, i) => t.equals(copies[i]!))).toBe(true);
});

test('corrupted, truncated and random tags never throw; they are counted; a clean stream after them still works', () => {
  const rnd = prng(20261125);
  const p = new HlsPipeline({ fragmentS: 1 });
  let thrown = 0;
  for (let i = 0; i < 3000; i++) {
    const src = tags[1 + Math.floor(rnd() * (tags.length - 1))]!;
    let buf: Buffer;
    const kind = i % 3;
    if (kind === 0) {
      buf = Buffer.from(src);
      for (let k = 0; k < 4; k++) buf[Math.floor(rnd() * buf.length)] = Math.floor(rnd() * 256);
    } else if (kind === 1) {
      buf = src.subarray(0, Math.floor(rnd() * src.length));
    } else {
      buf = Buffer.from(Array.from({ length: Math.floor(rnd() * 64) }, () => Math.floor(rnd() * 256)));
    }
    try {
      p.pushTag(buf);
      p.pushTag(src);
    } catch {
      thrown++;
    }
  }
  expect(thrown).toBe(0);
  expect(p.rejectedTags.count).toBeGreaterThan(100);
  expect([p.rejectedTags.internal, p.rejectedTags.last?.name]).toEqual([0, expect.stringMatching(/FlvParseError|CodecError/)]);
  p.discontinuity();
  const segs = tags.flatMap((t) => p.pushTag(t));
  expect(segs.map((s) => s.durationS)).toEqual([1, 1, 1, 1]);
  expect(segs[0]!.discontinuity).toBe(true);
});

test('a second FLV header on the same tap (next publisher) acts as discontinuity(); after an explicit one it is a no-op', () => {
  const auto = new HlsPipeline({ fragmentS: 2 });
  const segs = [...tags, ...tags].flatMap((t) => auto.pushTag(t));
  segs.push(auto.flush()!);
  // 5 s twice: 2 + 2 + 1 (closed by the second header), then 2 + 2 + 1 flagged at the restart
  expect(segs.map((s) => [s.index, s.discontinuity, Math.round(s.durationS * 10) / 10])).toEqual([
    [0, false, 2], [1, false, 2], [2, false, 1], [3, true, 2], [4, false, 2], [5, false, 1],
  ]);
  const explicit = new HlsPipeline({ fragmentS: 2 });
  const first = tags.flatMap((t) => explicit.pushTag(t));
  const closed = explicit.discontinuity(); // e.g. on the tap's onEnd()
  const second = tags.flatMap((t) => explicit.pushTag(t)); // header right after: no second cut
  expect([...first, closed!, ...second].map((s) => [s.index, s.discontinuity])).toEqual([
    [0, false], [1, false], [2, false], [3, true], [4, false],
  ]);
});

/** One FLV tag buffer as the hub hands it: 11-byte header, body, 4-byte previous-tag size. */
function flvTag(type: number, timestampMs: number, body: Buffer): Buffer {
  const tag = Buffer.alloc(11 + body.length + 4);
  tag[0] = type;
  tag.writeUIntBE(body.length, 1, 3); // DataSize
  tag.writeUIntBE(timestampMs & 0xffffff, 4, 3); // Timestamp bits 23..0
  tag[7] = Math.floor(timestampMs / 0x1000000); // TimestampExtended
  body.copy(tag, 11); // StreamID (bytes 8..10) stays 0
  tag.writeUInt32BE(11 + body.length, 11 + body.length);
  return tag;
}

test('an audio config we refuse, resent before every keyframe, neither cuts nor flags discontinuities', () => {
  // AAC-LC with an explicit 24-bit sampling frequency: ADTS cannot carry it, so the stream is video-only
  const refused = Buffer.from([0xaf, 0x00, 0x17, 0x80, 0x00, 0x00, 0x00]);
  const isAudio = (t: Buffer): boolean => t[0] === 8;
  const isKeyframe = (t: Buffer): boolean => t[0] === 9 && t[11] === 0x17 && t[12] === 0x01;
  const timestamp = (t: Buffer): number => t[7]! * 0x1000000 + t.readUIntBE(4, 3);
  const input = tags.filter((t, i) => i === 0 || !isAudio(t))
    .flatMap((t) => (isKeyframe(t) ? [flvTag(8, timestamp(t), refused), t] : [t]));
  const p = new HlsPipeline({ fragmentS: 2 });
  const segs = input.flatMap((t) => p.pushTag(t));
  segs.push(p.flush()!);
  // 5 s of 1 s GOPs: 2 + 2 + 1, one clean run
  expect(segs.map((s) => [s.index, s.discontinuity, Math.round(s.durationS * 10) / 10])).toEqual([[0, false, 2], [1, false, 2], [2, false, 1]]);
  expect([p.info.audio, p.info.unsupported, p.rejectedTags.count]).toEqual([null, ['explicit AAC sampling frequency cannot be carried in ADTS'], 0]);
});

test('errors that are not bad input are counted as internal, with the latest kept (a non-Error wrapped); bad input is not', () => {
  let fail: unknown = null;
  const p = new HlsPipeline({ fragmentS: 1 });
  // stands in for a bug downstream of the parsers
  const push = Segmenter.prototype.push;
  const spy = jest.spyOn(Segmenter.prototype, 'push').mockImplementation(function (this: Segmenter, sample) {
    if (fail !== null) throw fail;
    return push.call(this, sample);
  });
  try {
    const avcHeader = tags.find((t) => t[0] === 9 && t[12] === 0x00)!;
    const keyframe = tags.find((t) => t[0] === 9 && t[11] === 0x17 && t[12] === 0x01)!;
    p.pushTag(avcHeader);
    p.pushTag(keyframe);
    expect(p.rejectedTags).toEqual({ count: 0, internal: 0, last: null });
    p.pushTag(Buffer.from([0x09, 0x00])); // a truncated tag: bad input
    expect([p.rejectedTags.count, p.rejectedTags.internal, p.rejectedTags.last?.name]).toEqual([1, 0, 'FlvParseError']);
    fail = 'disk on fire';
    p.pushTag(keyframe);
    expect([p.rejectedTags.count, p.rejectedTags.internal, p.rejectedTags.last?.message, p.rejectedTags.last instanceof Error])
      .toEqual([2, 1, 'disk on fire', true]);
    fail = new TypeError('not a function');
    p.pushTag(keyframe);
    expect([p.rejectedTags.count, p.rejectedTags.internal, p.rejectedTags.last]).toEqual([3, 2, fail]);
    p.pushTag(Buffer.from([0x09, 0x00]));
    expect([p.rejectedTags.count, p.rejectedTags.internal, p.rejectedTags.last?.name]).toEqual([4, 2, 'FlvParseError']); // the latest, whatever its kind
  } finally {
    spy.mockRestore();
  }
});

/** a keyframe of one 70000-byte IDR slice: its PES fills a 64 KiB block */
function bigKeyframe(ms: number): Buffer {
  const nal = Buffer.alloc(70000, ms & 0xff);
  nal[0] = 0x65; // IDR slice
  const body = Buffer.concat([Buffer.from([0x17, 0x01, 0x00, 0x00, 0x00]), Buffer.alloc(4), nal]); // keyframe NALU, cts 0
  body.writeUInt32BE(nal.length, 5); // 4-byte NAL length (libx264's lengthSizeMinusOne 3)
  return flvTag(9, ms, body);
}

test('full blocks of the open segment are taken after each call, the rest comes with the cut; together they are the segment', () => {
  const avcHeader = tags.find((t) => t[0] === 9 && t[12] === 0x00)!;
  // 1 s segments of ~2 keyframes of 70 KB: a cut leaves one block taken and the rest in the segment's chunks
  const input = [avcHeader, ...Array.from({ length: 10 }, (_, i) => bigKeyframe(i * 500))];
  const whole = new HlsPipeline({ fragmentS: 1 }); // nothing taken: each segment's chunks hold all of it
  const expected = input.flatMap((t) => whole.pushTag(t)).map((s) => ({ index: s.index, bytes: Buffer.concat(s.chunks) }));
  const p = new HlsPipeline({ fragmentS: 1 });
  const taken = new Map<number, Buffer[]>();
  const got: Array<{ index: number; bytes: Buffer }> = [];
  for (const t of input) {
    for (const s of p.pushTag(t)) got.push({ index: s.index, bytes: Buffer.concat([...(taken.get(s.index) ?? []), ...s.chunks]) });
    const full = p.takeFull();
    if (full.blocks.length === 0) continue;
    // a copy, then the blocks go back to the pool for the next packets
    taken.set(full.index, [...(taken.get(full.index) ?? []), ...full.blocks.map((b) => Buffer.from(b))]);
    releaseTsChunks(full.blocks);
  }
  expect(got.length).toBe(4);
  expect([...taken.keys()]).toEqual([0, 1, 2, 3, 4]); // the open one too
  expect(got.map((g) => [g.index, g.bytes.length])).toEqual(expected.map((e) => [e.index, e.bytes.length]));
  for (const [i, g] of got.entries()) expect(g.bytes.equals(expected[i]!.bytes)).toBe(true);
});

test('the pipeline starts with no tracks: frames before any sequence header produce nothing', () => {
  const p = new HlsPipeline({ fragmentS: 1 });
  const headers = tags.filter((t, i) => i === 0 || (t[0] === 9 && t[12] === 0x00) || (t[0] === 8 && t[12] === 0x00));
  const media = tags.filter((t) => !headers.includes(t));
  expect(media.flatMap((t) => p.pushTag(t))).toEqual([]);
  expect([p.flush(), p.rejectedTags.count]).toEqual([null, 0]);
  // the same frames after the headers make segments
  for (const h of headers) p.pushTag(h);
  expect(media.flatMap((t) => p.pushTag(t)).length).toBe(4);
});

test('suspend() stops segments while tags are still read; resume() starts again at a keyframe, flagged, numbering on', () => {
  const p = new HlsPipeline({ fragmentS: 1 });
  const third = Math.floor(tags.length / 3);
  const before = tags.slice(0, third).flatMap((t) => p.pushTag(t));
  expect(before.length).toBeGreaterThan(0);
  const lost = before[before.length - 1]!.index + 1;
  p.suspend(); // the open segment is lost and its index reused
  expect(tags.slice(third, 2 * third).flatMap((t) => p.pushTag(t))).toEqual([]);
  p.resume();
  const after = [...tags.slice(2 * third).flatMap((t) => p.pushTag(t)), p.flush()!];
  expect(after[0]).toMatchObject({ index: lost, discontinuity: true, firstKeyframe: true });
  expect(after.slice(1).every((s) => !s.discontinuity)).toBe(true);
  expect(p.info.video).toMatchObject({ width: 160, height: 120 }); // codec config kept through the suspension
});

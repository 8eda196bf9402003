// Segmenter bounds that hold whatever a publisher's timestamps say (issue 10 row 1): a hold that fills up is
// released, a segment is cut before it passes maxSegmentBytes, a clock that stops advancing forces a cut, a
// frame bigger than a segment is refused, suspend() drops the open segment without a gap in the numbering, and the
// live window caps how many (one-frame) segments it lists.
import { HlsInputError, LiveWindow } from '../../../server/media/hls';
import { Segmenter, tsBytesOf } from '../../../server/media/hls/segmenter';
import type { CompletedSegment, VideoSample } from '../../../server/media/hls/types';
import { run, stream, summary } from './helpers/sample-stream';
import { readTsPackets, segmentBytes } from './helpers/ts-reader';

const KIB = 1024;
const video = (dts: number, key = false, size = 20): VideoSample => ({ kind: 'video', dts, pts: dts, key, chunks: [Buffer.alloc(size, key ? 0x65 : 0x41)] });
/** frames of `size` bytes, all at DTS `dts` (every `keyEvery`-th a keyframe) */
const frozen = (n: number, dts: number, size: number, keyEvery = 1): VideoSample[] =>
  Array.from({ length: n }, (_, i) => video(dts, i % keyEvery === 0, size));
const sizes = (segs: CompletedSegment[]): number[] => segs.map((s) => s.bytes);

test('tsBytesOf is an upper bound of what the muxer writes for a sample', () => {
  for (const size of [1, 20, 183, 184, 185, 1000, 64 * KIB, 300 * KIB]) {
    const seg = new Segmenter({ fragmentS: 1, tracks: { video: true, audio: false } });
    seg.push(video(0, true, size));
    const out = seg.flush()!;
    expect(out.bytes - 2 * 188).toBeLessThanOrEqual(tsBytesOf(video(0, true, size)));
    expect(tsBytesOf(video(0, true, size)) - (out.bytes - 2 * 188)).toBeLessThanOrEqual(188); // and a tight one
  }
});

describe('the frozen-timestamp publisher (A+V declared, video only, every DTS the same)', () => {
  // the clock runs for 3 s, then every frame carries the same DTS: the first keyframe after 2 s starts a hold that,
  // before the caps, swallowed every later frame (~1 MB each in the attack) and came out as one huge segment
  const attack = (seg: Segmenter): CompletedSegment[] => [
    ...run(seg, stream({ seconds: 3 })),
    ...run(seg, frozen(400, 3 * 90000, 16 * KIB, 10)),
  ];

  test('held frames are capped by bytes and every segment stays under maxSegmentBytes', () => {
    const seg = new Segmenter({ fragmentS: 2, maxSegmentBytes: 256 * KIB });
    const segs = attack(seg);
    const last = seg.flush();
    // 400 × 16 KiB = 6.4 MB went in: it must come out as many small segments while it streams, not at the end
    expect(segs.length).toBeGreaterThan(20);
    expect(Math.max(...sizes(segs), last!.bytes)).toBeLessThanOrEqual(256 * KIB);
  });

  test('held frames are capped by count', () => {
    // tiny frames: only the count cap can end the hold; 4 held frames, then the hold is released
    const seg = new Segmenter({ fragmentS: 2, maxHeldSamples: 4, maxStalledSamples: 1000 });
    run(seg, Array.from({ length: 50 }, (_, i) => video(i * 3600, i === 0))); // 0 … 1.96 s, one keyframe
    const frames = frozen(5, 2 * 90000, 20, 5); // a keyframe at 2 s (a cut point: held), then 4 frozen frames
    expect(run(seg, frames.slice(0, 4))).toEqual([]);
    expect(summary(run(seg, frames.slice(4)))).toEqual([[0, 2, false, true]]);
  });

  test('a stalled clock forces a cut every maxStalledSamples frames', () => {
    const seg = new Segmenter({ fragmentS: 2, tracks: { video: true, audio: false }, maxStalledSamples: 10 });
    run(seg, [video(0, true)]);
    // 1 + 35 frames at the same DTS: cuts after the 10th, 20th and 30th repeat (a cut resets the count)
    const segs = run(seg, frozen(35, 0, 20, 1000).map((f) => ({ ...f, key: false })));
    expect(segs.map((s) => readTsPackets(segmentBytes(s)).filter((p) => p.pid === 0x100 && p.unitStart).length)).toEqual([10, 10, 10]);
    expect(segs.every((s) => s.durationS > 0)).toBe(true); // measured by content: one frame, never 0
  });
});

test('a segment is cut by size even while the clock advances and no keyframe comes; the next one gets SPS/PPS', () => {
  const seg = new Segmenter({ fragmentS: 2, tracks: { video: true, audio: false }, maxSegmentBytes: 64 * KIB });
  const sps = Buffer.from([0, 0, 0, 1, 0x67, 0x42, 0, 0, 0, 0, 0, 1, 0x68, 0xce]);
  seg.setVideoParameterSets(sps);
  const frames = Array.from({ length: 40 }, (_, i) => video(i * 3600, i === 0, 5 * KIB));
  const segs = run(seg, frames);
  expect(segs.length).toBeGreaterThanOrEqual(3);
  expect(Math.max(...sizes(segs))).toBeLessThanOrEqual(64 * KIB);
  // 11 frames of 29 packets (5452 bytes) fit after PAT+PMT: cut 11 frames (0.44 s) apart, the second not on a keyframe
  expect(summary(segs.slice(0, 2))).toEqual([[0, 0.44, false, true], [1, 0.44, false, false]]);
  expect(segmentBytes(segs[1]!).includes(sps.subarray(4, 7))).toBe(true);
});

test('audio gathered during a hold is cut by size too', () => {
  const seg = new Segmenter({ fragmentS: 1, maxSegmentBytes: 8 * KIB, audioPesMaxTicks: 0 });
  const segs = run(seg, stream({ seconds: 6 }));
  expect(Math.max(...sizes(segs))).toBeLessThanOrEqual(8 * KIB);
});

test('a frame that alone would not fit in a segment is refused (HlsInputError), and the stream goes on', () => {
  const seg = new Segmenter({ fragmentS: 1, tracks: { video: true, audio: false }, maxSegmentBytes: 64 * KIB });
  run(seg, [video(0, true)]);
  expect(() => seg.push(video(3600, false, 64 * KIB))).toThrow(HlsInputError);
  expect(() => seg.push(video(3600, false, 64 * KIB))).toThrow(/frame of \d+ TS bytes does not fit in a segment of 65536/);
  run(seg, [video(7200)]);
  expect(readTsPackets(segmentBytes(seg.flush()!)).filter((p) => p.pid === 0x100 && p.unitStart)).toHaveLength(2);
});

test('maxSegmentBytes must leave room for more than PAT and PMT', () => {
  expect(() => new Segmenter({ fragmentS: 1, maxSegmentBytes: 376 })).toThrow(RangeError);
  expect(() => new Segmenter({ fragmentS: 1, maxSegmentBytes: 377 })).not.toThrow();
});

test('suspend() drops the open segment; after resume() the next keyframe starts its index again, as a discontinuity', () => {
  const seg = new Segmenter({ fragmentS: 1, tracks: { video: true, audio: false } });
  const first = run(seg, stream({ seconds: 2.5, audio: false }));
  expect(summary(first)).toEqual([[0, 1, false, true], [1, 1, false, true]]);
  seg.suspend(); // segment 2 (2 s … 2.5 s) is lost
  expect(run(seg, stream({ seconds: 1, startTicks: 2.5 * 90000, audio: false, gopS: 0.2 }))).toEqual([]);
  expect(seg.flush()).toBeNull();
  seg.resume();
  // two inter frames first: nothing opens before a keyframe
  const after = run(seg, [video(3.52 * 90000), video(3.56 * 90000), ...stream({ seconds: 2.5, startTicks: 3.6 * 90000, audio: false })]);
  const last = seg.flush()!;
  expect(summary([...after, last])).toEqual([[2, 1, true, true], [3, 1, false, true], [4, 0.52, false, true]]); // 63 frames from 3.6 s
});

test('the live window lists at most maxSegments: a stalled clock makes segments one frame long', () => {
  const w = new LiveWindow(10, 15);
  const gone = Array.from({ length: 40 }, (_, i) => w.add({ index: i, durationS: 0.04, discontinuity: i === 20 })).flat();
  expect(w.listed.map((s) => s.index)).toEqual(Array.from({ length: 15 }, (_, i) => 25 + i));
  expect(gone.map((s) => s.index)).toEqual(Array.from({ length: 25 }, (_, i) => i));
  expect(w.playlist((i) => `${i}.ts`)).toContain('#EXT-X-DISCONTINUITY-SEQUENCE:1\n');
  // without a cap, the same segments would all stay listed (0.04 s each never reach 10 s)
  const uncapped = new LiveWindow(10);
  for (let i = 0; i < 40; i++) uncapped.add({ index: i, durationS: 0.04, discontinuity: false });
  expect(uncapped.listed).toHaveLength(40);
});

test('suspend(reuseIndex) hands a lost completed segment\'s index to the next one; a later index changes nothing', () => {
  const cut = (reuse?: number) => {
    const seg = new Segmenter({ fragmentS: 1, tracks: { video: true, audio: false } });
    run(seg, stream({ seconds: 2.5, audio: false })); // 0 and 1 done, 2 open
    seg.suspend(reuse);
    seg.resume();
    return run(seg, stream({ seconds: 2, startTicks: 3 * 90000, audio: false }))[0]!.index;
  };
  expect(cut()).toBe(2);
  expect(cut(1)).toBe(1); // segment 1 was completed but could not be stored either
  expect(cut(2)).toBe(2);
  expect(cut(7)).toBe(2); // never skips ahead: the playlist would get a gap
});

test('an audio-only stream whose audio clock stops is cut every maxStalledSamples frames; a running clock never is', () => {
  const audio = (dts: number) => ({ kind: 'audio' as const, dts, pts: dts, chunks: [Buffer.alloc(50, 0xaa)] });
  const frozenAudio = new Segmenter({ fragmentS: 100, tracks: { video: false, audio: true }, maxStalledSamples: 10 });
  run(frozenAudio, [audio(0), audio(1920)]);
  expect(run(frozenAudio, Array.from({ length: 25 }, () => audio(3840)))).toHaveLength(2); // after the 10th and 20th repeat
  const running = new Segmenter({ fragmentS: 100, tracks: { video: false, audio: true }, maxStalledSamples: 10 });
  expect(run(running, Array.from({ length: 200 }, (_, i) => audio(i * 1920)))).toEqual([]);
});

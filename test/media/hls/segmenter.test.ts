// Segmenter: where cuts happen, what each segment starts with, durations, discontinuities.
import { Segmenter } from '../../../server/media/hls/segmenter';
import { releaseTsChunks } from '../../../server/media/hls/ts-blocks';
import type { CompletedSegment } from '../../../server/media/hls/types';
import { run, stream, summary } from './helpers/sample-stream';
import { pesTimestamp, readTsPackets, segmentBytes } from './helpers/ts-reader';

test('A+V: cuts on the first keyframe at or after fragmentS; every segment starts PAT, PMT, keyframe', () => {
  const seg = new Segmenter({ fragmentS: 2 });
  const segs = run(seg, stream({ seconds: 7, gopS: 1.6 }));
  segs.push(seg.flush()!);
  // keyframes at 0, 1.6, 3.2, 4.8, 6.4: the first one >= 2 s after a segment start cuts; 6.4..7.0 is left
  expect(summary(segs)).toEqual([[0, 3.2, false, true], [1, 3.2, false, true], [2, 0.6, false, true]]);
  for (const s of segs) {
    const pkts = readTsPackets(segmentBytes(s));
    expect(pkts.slice(0, 3).map((p) => p.pid)).toEqual([0, 0x1000, 0x100]);
    expect(pkts[2]!.adaptation![0]! & 0x40).toBe(0x40); // random_access_indicator on the keyframe
  }
  expect(segs.map((s) => s.startDts)).toEqual([0, 288000, 576000]);
});

test('audio before the first keyframe of a video stream is dropped (a segment must start decodable)', () => {
  const seg = new Segmenter({ fragmentS: 1 });
  const samples = stream({ seconds: 3 }).filter((s) => !(s.kind === 'video' && s.dts < 90000));
  const segs = run(seg, samples);
  expect(segs[0]!.startDts).toBe(90000);
  expect(readTsPackets(segmentBytes(segs[0]!))[2]!.pid).toBe(0x100);
});

test('no keyframe after the first: forced cut at 10 × fragmentS, flagged as not starting on a keyframe', () => {
  const seg = new Segmenter({ fragmentS: 0.5 });
  const segs = run(seg, stream({ seconds: 12, gopS: null }));
  expect(summary(segs)).toEqual([[0, 5, false, true], [1, 5, false, false]]);
});

test('a forced segment carries SPS/PPS in its first access unit; keyframe-started ones are left alone', () => {
  const sets = Buffer.from([0, 0, 0, 1, 0x67, 0x42, 0, 0, 0, 1, 0x68, 0xce]);
  const seg = new Segmenter({ fragmentS: 0.5, tracks: { video: true, audio: false } });
  seg.setVideoParameterSets(sets);
  const aud = [0, 0, 0, 1, 0x09, 0xf0];
  const samples = stream({ seconds: 6, gopS: null, audio: false })
    .map((v) => ({ ...v, chunks: [Buffer.from([...aud, 0, 0, 0, 1, v.kind === 'video' && v.key ? 0x65 : 0x41])] }));
  const segs = run(seg, samples);
  const firstVideoPayload = (s: CompletedSegment): Buffer => {
    const pes = readTsPackets(segmentBytes(s)).find((p) => p.pid === 0x100)!.payload;
    return pes.subarray(9 + pes[8]!); // skip the PES header
  };
  expect(summary(segs)).toEqual([[0, 5, false, true]]);
  expect(firstVideoPayload(segs[0]!)).toEqual(Buffer.from([...aud, 0, 0, 0, 1, 0x65]));
  expect(firstVideoPayload(seg.flush()!)).toEqual(Buffer.from([...aud, ...sets, 0, 0, 0, 1, 0x41]));
});

test('audio-only streams cut on audio frames; PMT lists audio only', () => {
  const seg = new Segmenter({ fragmentS: 2, tracks: { video: false, audio: true } });
  const segs = run(seg, stream({ seconds: 7, video: false }));
  // cuts at the frames at 2, 4 and 6 s; 6..7 s stays open
  expect(summary(segs)).toEqual([[0, 2, false, false], [1, 2, false, false], [2, 2, false, false]]);
  expect(readTsPackets(segmentBytes(segs[0]!)).slice(0, 3).map((p) => p.pid)).toEqual([0, 0x1000, 0x101]);
});

test('video-only streams cut on keyframes', () => {
  const seg = new Segmenter({ fragmentS: 2, tracks: { video: true, audio: false } });
  const segs = run(seg, stream({ seconds: 5, audio: false }));
  expect(summary(segs)).toEqual([[0, 2, false, true], [1, 2, false, true]]);
  expect(segs.every((s) => readTsPackets(segmentBytes(s)).every((p) => p.pid !== 0x101))).toBe(true);
});

test('a backwards jump over 1 s closes the segment; the next starts at a keyframe, flagged discontinuity', () => {
  const seg = new Segmenter({ fragmentS: 2 });
  const before = run(seg, stream({ seconds: 3, startTicks: 900000 }));
  const after = run(seg, stream({ seconds: 5, startTicks: 0 }));
  const last = seg.flush()!;
  expect(summary([...before, ...after, last])).toEqual([
    [0, 2, false, true],
    [1, 1, false, true], // closed by the jump: its own content, 25 frames
    [2, 2, true, true],
    [3, 2, false, true],
    [4, 1, false, true],
  ]);
});

test('a forward gap longer than a fragment (paused publisher) closes the segment as a discontinuity', () => {
  const seg = new Segmenter({ fragmentS: 2 });
  const before = run(seg, stream({ seconds: 3 }));
  const after = run(seg, stream({ seconds: 3, startTicks: 15 * 90000 }));
  expect(summary([...before, ...after])).toEqual([[0, 2, false, true], [1, 1, false, true], [2, 2, true, true]]);
});

test('a stream that resumes after flush() on a new clock is flagged; one that continues its clock is not', () => {
  const seg = new Segmenter({ fragmentS: 2 });
  run(seg, stream({ seconds: 3 }));
  seg.flush(); // e.g. the publisher dropped
  const again = run(seg, stream({ seconds: 3 })); // a new publisher, timestamps from 0 again
  expect(summary(again)).toEqual([[2, 2, true, true]]);
  seg.flush();
  const continued = run(seg, stream({ seconds: 3, startTicks: 3 * 90000 }));
  expect(summary(continued)).toEqual([[4, 2, false, true]]);
});

test('markDiscontinuity() flags the next segment even before any output (a restart continuing a playlist)', () => {
  const seg = new Segmenter({ fragmentS: 2, firstIndex: 40 });
  expect(seg.markDiscontinuity()).toBeNull();
  expect(summary(run(seg, stream({ seconds: 3 })))).toEqual([[40, 2, true, true]]);
});

test('small backwards jitter (< 1 s) does not cut', () => {
  const seg = new Segmenter({ fragmentS: 2 });
  const samples = stream({ seconds: 3 });
  samples.splice(40, 0, { kind: 'audio', dts: 10000, pts: 10000, chunks: [Buffer.alloc(10)] });
  expect(summary(run(seg, samples))).toEqual([[0, 2, false, true]]);
});

test('markDiscontinuity closes the open segment; the next is flagged; indexes keep increasing', () => {
  const seg = new Segmenter({ fragmentS: 2, firstIndex: 7 });
  const a = run(seg, stream({ seconds: 3 }));
  const closed = seg.markDiscontinuity();
  const b = run(seg, stream({ seconds: 3 }));
  expect(summary([...a, closed!, ...b])).toEqual([[7, 2, false, true], [8, 1, false, true], [9, 2, true, true]]);
  expect(seg.upcomingIndex).toBe(11);
});

test('a track change mid-segment cuts at the next cut point of the new layout, as a discontinuity', () => {
  const seg = new Segmenter({ fragmentS: 4, tracks: { video: false, audio: true } });
  const a = run(seg, stream({ seconds: 1, video: false }));
  seg.setTracks({ video: true, audio: true });
  const b = run(seg, stream({ seconds: 6, startTicks: 90000, gopS: 0.4 }));
  expect(a).toEqual([]);
  // the first keyframe cuts at once (new PMT needed); then keyframes every 0.4 s, cut at 1 + 4 s
  expect(summary(b)).toEqual([[0, 1, false, false], [1, 4, true, true]]);
  expect(readTsPackets(segmentBytes(b[1]!)).slice(0, 3).map((p) => p.pid)).toEqual([0, 0x1000, 0x100]);
});

test('reconfigure (new codec parameters) cuts at the next keyframe even before fragmentS, as a discontinuity', () => {
  const seg = new Segmenter({ fragmentS: 4 });
  const a = run(seg, stream({ seconds: 1.5 }));
  seg.reconfigure();
  const b = run(seg, stream({ seconds: 5, startTicks: 135000, gopS: 0.4 }));
  expect(a).toEqual([]);
  // keyframes at 1.5, 1.9, 2.3…: the first one after reconfigure() cuts; then 4 s fragments again
  expect(summary(b)).toEqual([[0, 1.5, false, true], [1, 4, true, true]]);
  const fresh = new Segmenter({ fragmentS: 4 });
  fresh.reconfigure(); // before any segment: nothing to be discontinuous with
  expect(run(fresh, stream({ seconds: 4.5 }))[0]!.discontinuity).toBe(false);
});

test('flush estimates the last segment from its own frames; nothing open → null', () => {
  const seg = new Segmenter({ fragmentS: 10 });
  run(seg, stream({ seconds: 3, audio: false }));
  expect(seg.flush()!.durationS).toBe(3); // 75 frames of 40 ms
  expect(seg.flush()).toBeNull();
});

test('B-frame delay: the cut keyframe waits for audio to reach its PTS, so both tracks span the same time', () => {
  // video PTS runs 2 frames (7200 ticks) ahead of DTS, as with B-frames; audio every 40 ms from 0
  const samples = stream({ seconds: 5, audio: false }).map((v) => ({ ...v, pts: v.dts + 7200 }));
  for (let t = 0; t < 5 * 90000; t += 3600) samples.push({ kind: 'audio', dts: t, pts: t, chunks: [Buffer.alloc(50, 0xaa)] });
  samples.sort((a, b) => a.dts - b.dts);
  const seg = new Segmenter({ fragmentS: 2, audioPesMaxTicks: 0 });
  const segs = run(seg, samples);
  const audioPts = (s: CompletedSegment): number[] => readTsPackets(segmentBytes(s))
    .filter((p) => p.pid === 0x101 && p.unitStart).map((p) => pesTimestamp(p.payload, 9) - 63000);
  const range = (from: number, to: number): number[] => Array.from({ length: (to - from) / 3600 + 1 }, (_, i) => from + i * 3600);
  // the first keyframe's picture starts at 7200: earlier audio is dropped; the cut keyframe (DTS 180000) shows at 187200
  expect(audioPts(segs[0]!)).toEqual(range(7200, 183600));
  expect(audioPts(segs[1]!)).toEqual(range(187200, 363600)); // the next cut keyframe shows at 367200
  expect(summary(segs)).toEqual([[0, 2, false, true], [1, 2, false, true]]);
  const firstVideo = readTsPackets(segmentBytes(segs[1]!)).find((p) => p.pid === 0x100)!;
  expect([pesTimestamp(firstVideo.payload, 9), pesTimestamp(firstVideo.payload, 14)]).toEqual([187200 + 63000, 180000 + 63000]);
});

test('a held keyframe is not lost: audio that stalls releases it, and flush keeps it in the last segment', () => {
  const stalled = new Segmenter({ fragmentS: 2 });
  // audio stops at 1.5 s: the keyframe at 2 s is held only until video is 0.5 s past it
  expect(summary(run(stalled, stream({ seconds: 4 }).filter((s) => s.kind === 'video' || s.dts < 135000))))
    .toEqual([[0, 2, false, true]]);
  const ending = new Segmenter({ fragmentS: 2 });
  // B-frame-like offset: the keyframe at DTS 2 s (PTS 2.08 s) is still held when the stream ends
  const samples = stream({ seconds: 2.04 }).map((x) => (x.kind === 'video' ? { ...x, pts: x.dts + 7200 } : x));
  expect(run(ending, samples)).toEqual([]);
  // one segment from the first picture (PTS 0.08 s) to the held keyframe's end (2.08 + 0.04 s)
  expect(summary([ending.flush()!])).toEqual([[0, 2.04, false, true]]);
  expect(ending.flush()).toBeNull();
});

test('audio lagging far behind video is kept after a cut, not dropped', () => {
  // audio arrives 0.8 s after the video of the same time (beyond the 0.5 s hold)
  const samples = stream({ seconds: 5 }).map((x) => x);
  const video = samples.filter((s) => s.kind === 'video');
  const audio = samples.filter((s) => s.kind === 'audio');
  const order = [...video.map((v) => ({ at: v.dts, s: v })), ...audio.map((a) => ({ at: a.dts + 72000, s: a }))]
    .sort((x, y) => x.at - y.at).map((x) => x.s);
  const seg = new Segmenter({ fragmentS: 2, audioPesMaxTicks: 0 });
  const segs = run(seg, order);
  segs.push(seg.flush()!);
  const audioCount = (s: CompletedSegment): number => readTsPackets(segmentBytes(s)).filter((p) => p.pid === 0x101 && p.unitStart).length;
  // every audio frame from the first picture on is somewhere: 125 frames in 5 s
  expect(segs.reduce((n, s) => n + audioCount(s), 0)).toBe(125);
});

test('takeFull: full blocks leave as they fill; taken bytes + the rest equal the untaken segment, byte for byte', () => {
  // 6 KB frames with varying bytes: a 2 s segment is ~300 KB, several blocks
  const samples = stream({ seconds: 7, gopS: 2 }).map((s, i) =>
    s.kind === 'video' ? { ...s, chunks: [Buffer.alloc(6000, i & 0xff), Buffer.alloc(1000, (i * 7) & 0xff)] } : s);
  const plain = run(new Segmenter({ fragmentS: 2 }), samples);
  const spilled = new Map<number, Buffer[]>();
  const taking = new Segmenter({ fragmentS: 2 });
  const segs: CompletedSegment[] = [];
  for (const sample of samples) {
    segs.push(...taking.push(sample));
    const { index, blocks } = taking.takeFull();
    // the blocks are reused once released: keep a copy
    if (blocks.length > 0) spilled.set(index, [...(spilled.get(index) ?? []), ...blocks.map((b) => Buffer.from(b))]);
    releaseTsChunks(blocks);
  }
  expect(summary(segs)).toEqual(summary(plain));
  expect(segs.length).toBe(3);
  for (const [i, s] of segs.entries()) {
    const whole = Buffer.concat([...(spilled.get(s.index) ?? []), ...s.chunks]);
    expect(spilled.get(s.index)?.length).toBeGreaterThan(2);
    expect(s.bytes).toBe(plain[i]!.bytes);
    expect(whole.equals(segmentBytes(plain[i]!))).toBe(true);
  }
});

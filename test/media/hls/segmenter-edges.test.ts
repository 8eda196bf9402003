// Segmenter at its thresholds: option checks, the forced-cut factor, what counts as a jump, when a held
// keyframe is released, how frame durations are learnt for the last segment, and layouts that drop samples.
import { Segmenter } from '../../../server/media/hls/segmenter';
import type { CompletedSegment, MediaSample, VideoSample } from '../../../server/media/hls/types';
import { run, stream, summary } from './helpers/sample-stream';
import { readTsPackets, segmentBytes } from './helpers/ts-reader';

const video = (dts: number, pts = dts, key = false): VideoSample => ({ kind: 'video', dts, pts, key, chunks: [Buffer.alloc(20, key ? 0x65 : 0x41)] });
const audio = (dts: number): MediaSample => ({ kind: 'audio', dts, pts: dts, chunks: [Buffer.alloc(10, 0xaa)] });
const pids = (s: CompletedSegment): Set<number> => new Set(readTsPackets(segmentBytes(s)).map((p) => p.pid));
const videoPes = (s: CompletedSegment): number => readTsPackets(segmentBytes(s)).filter((p) => p.pid === 0x100 && p.unitStart).length;

test('fragmentS must be a positive number', () => {
  for (const fragmentS of [0, -2, Number.NaN]) expect(() => new Segmenter({ fragmentS })).toThrow(RangeError);
  expect(() => new Segmenter({ fragmentS: 0.001 })).not.toThrow();
});

test('maxFragmentFactor sets the forced cut: 3 × 1 s without a keyframe', () => {
  const seg = new Segmenter({ fragmentS: 1, maxFragmentFactor: 3 });
  expect(summary(run(seg, stream({ seconds: 7, gopS: null })))).toEqual([[0, 3, false, true], [1, 3, false, false]]);
});

describe('a forward gap is a jump only past max(fragmentS, 2 s)', () => {
  // A+V at 25 fps for 3 s (last samples at 2.96 s = 266400), silence, then the stream again
  const flags = (fragmentS: number, gapTicks: number): boolean[] => {
    const seg = new Segmenter({ fragmentS });
    const segs = [...run(seg, stream({ seconds: 3 })), ...run(seg, stream({ seconds: 2, startTicks: 266400 + gapTicks }))];
    segs.push(seg.flush()!);
    return segs.map((s) => s.discontinuity);
  };
  test('fragmentS 4: a 4 s pause is not a jump, 4.04 s is', () => {
    expect(flags(4, 360000)).toEqual([false, false]);
    expect(flags(4, 363600)).toEqual([false, true]);
  });
  test('fragmentS 1: the 2 s floor (a 1 fps slideshow is not a jump)', () => {
    // segments 0–2 come from the first 3 s; 3 starts at the resumed stream
    expect(flags(1, 180000).slice(3)).toEqual([false, false]);
    expect(flags(1, 183600).slice(3)).toEqual([true, false]);
  });
});

test('a jump while a keyframe is held puts the held frames in the old segment, then cuts as a discontinuity', () => {
  // video PTS 2 frames ahead of DTS (B-frames): the keyframe at DTS 180000 shows at 187200 and waits for audio
  const samples = stream({ seconds: 2.04 }).map((s) => (s.kind === 'video' ? { ...s, pts: s.dts + 7200 } : s));
  const seg = new Segmenter({ fragmentS: 2 });
  expect(run(seg, samples)).toEqual([]);
  const segs = seg.push(video(0, 0, true)); // a new clock from 0: more than 1 s back
  // 51 video frames (DTS 0…180000, the held keyframe included); from the first picture (7200) to 187200 + 3600
  expect([summary(segs), segs.map(videoPes)]).toEqual([[[0, 2.04, false, true]], [51]]);
  expect(summary([seg.flush()!])).toEqual([[1, 0.04, true, true]]);
});

test('a held keyframe is released by the first audio frame AT its PTS, or by video 0.5 s past it (not before)', () => {
  const firstCut = (samples: MediaSample[]): MediaSample | null => {
    const seg = new Segmenter({ fragmentS: 2 });
    return samples.find((s) => seg.push(s).length > 0) ?? null;
  };
  // keyframe at 180000 (PTS = DTS): the audio frame at 180000 releases it
  expect(firstCut(stream({ seconds: 3 }))).toMatchObject({ kind: 'audio', dts: 180000 });
  // audio stops at 1.5 s; video at 50 fps (1800 ticks): the frame at 180000 + 45000 is still held, the next releases
  expect(firstCut(stream({ seconds: 3, fps: 50 }).filter((s) => s.kind === 'video' || s.dts < 135000))).toMatchObject({ kind: 'video', dts: 226800 });
});

test('the last segment is measured with frame durations learnt from the stream, ignoring gaps and repeats', () => {
  const flushed = (samples: MediaSample[], tracks = { video: true, audio: false }): number => {
    const seg = new Segmenter({ fragmentS: 10, tracks });
    run(seg, samples);
    return seg.flush()!.durationS;
  };
  const frames30 = Array.from({ length: 30 }, (_, i) => video(i * 3000, i * 3000, i === 0)); // 30 fps for 1 s
  expect(flushed(frames30)).toBe(1);
  // a frame 1 s after the last (a pause, not a frame duration); a frame repeating the last DTS (shown one frame
  // later) is not a zero-length frame: 31 frames of 1/30 s
  expect(flushed([...frames30, video(87000 + 90000)])).toBe(2);
  expect(flushed([...frames30, video(87000, 90000)])).toBeCloseTo(31 / 30, 9);
  // audio-only, 1024 samples at 44.1 kHz as FLV milliseconds round them: 24 ms = 2160 ticks
  const aac = Array.from({ length: 50 }, (_, i) => audio(i * 2160));
  expect(flushed(aac, { video: false, audio: true })).toBe(1.2);
  expect(flushed([...aac, audio(49 * 2160)], { video: false, audio: true })).toBe(1.2);
});

test('the last segment spans from its earliest to its latest presentation, whatever the decode order', () => {
  const seg = new Segmenter({ fragmentS: 10, tracks: { video: true, audio: false } });
  run(seg, [
    video(0, 7200, true), // I
    video(3600, 3600), // a leading B-frame shown before the I
    video(7200, 18000), // P: the latest picture
    video(10800, 10800), // B
    video(14400, 14400), // B
  ]);
  // 3600 … 18000 + one 3600-tick frame
  expect(seg.flush()!.durationS).toBe(0.2);
});

test('samples outside the declared layout are dropped, and only the layout decides where cuts go', () => {
  const videoOnly = new Segmenter({ fragmentS: 2, tracks: { video: true, audio: false } });
  const v = run(videoOnly, stream({ seconds: 5 }));
  expect(v.map(pids)).toEqual([new Set([0, 0x1000, 0x100]), new Set([0, 0x1000, 0x100])]);
  // audio-only layout: video is neither written nor a cut point; audio frames cut every 2 s
  const audioOnly = new Segmenter({ fragmentS: 2, tracks: { video: false, audio: true } });
  const a = run(audioOnly, stream({ seconds: 5, gopS: 0.2 }));
  expect([summary(a), a.map(pids)]).toEqual([[[0, 2, false, false], [1, 2, false, false]], [new Set([0, 0x1000, 0x101]), new Set([0, 0x1000, 0x101])]]);
});

test('declaring the same tracks again mid-segment changes nothing; a new layout before any segment applies at once', () => {
  const seg = new Segmenter({ fragmentS: 2 });
  const first = run(seg, stream({ seconds: 1, gopS: 0.2 }));
  seg.setTracks({ video: true, audio: true }); // e.g. a resent sequence header
  const rest = run(seg, stream({ seconds: 4, startTicks: 90000, gopS: 0.2 }));
  expect(summary([...first, ...rest])).toEqual([[0, 2, false, true], [1, 2, false, true]]);
  const fresh = new Segmenter({ fragmentS: 2 });
  fresh.setTracks({ video: false, audio: true }); // nothing open yet: the next segment has the new PMT, no discontinuity
  const [s] = run(fresh, stream({ seconds: 3 }));
  expect([summary([s!]), pids(s!)]).toEqual([[[0, 2, false, false]], new Set([0, 0x1000, 0x101])]);
});

test('a new layout whose first keyframe is shown before the open segment began closes it with EXTINF 0, never negative', () => {
  const seg = new Segmenter({ fragmentS: 4, tracks: { video: false, audio: true } });
  run(seg, [90000, 93600, 97200].map(audio)); // audio-only from 1 s
  seg.setTracks({ video: true, audio: true });
  // video arrives 2000 ticks behind the audio's start (within the 1 s backwards jitter: not a jump)
  expect(summary(seg.push(video(88000, 88000, true)))).toEqual([[0, 0, false, false]]);
});

test('forced cuts: with audio on the first audio frame past the limit (the segment starts with it); video-only by DTS', () => {
  const av = new Segmenter({ fragmentS: 0.5, audioPesMaxTicks: 0 });
  const [forced] = run(av, stream({ seconds: 6, gopS: null })); // video at 5 s arrives first, then audio at 5 s
  const next = av.flush()!;
  expect(summary([forced!, next])).toEqual([[0, 5, false, true], [1, 1, false, false]]);
  expect(readTsPackets(segmentBytes(next)).slice(0, 3).map((p) => p.pid)).toEqual([0, 0x1000, 0x101]);
  // video-only with B-frame offsets that vary: the frame at 5 s shows 3600 ticks late, the first one 7200
  const vo = new Segmenter({ fragmentS: 0.5, tracks: { video: true, audio: false } });
  const frames = stream({ seconds: 6, gopS: null, audio: false }).map((s, i) => ({ ...s, pts: s.dts + (i % 2 ? 3600 : 7200) }));
  expect(summary(run(vo, frames))).toEqual([[0, 5, false, true]]); // 450000 - 0 by DTS, not 453600 - 7200 by PTS
});

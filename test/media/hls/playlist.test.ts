// Playlist text: whole-text comparisons, plus hls-parser in strict mode as an independent reader.
import * as HLS from 'hls-parser';
import { LiveWindow } from '../../../server/media/hls/live-window';
import { livePlaylist, targetDuration, vodPlaylist } from '../../../server/media/hls/playlist';

beforeAll(() => HLS.setOptions({ strictMode: true }));

test('live playlist: sequence numbers, target duration = ceil of the longest EXTINF, signature suffix', () => {
  const text = livePlaylist({
    mediaSequence: 41,
    discontinuitySequence: 2,
    targetDurationS: 2,
    uriSuffix: '?expires=1700000000&sign=abc',
    segments: [
      { uri: '41.ts', durationS: 2.0004, discontinuity: false },
      { uri: '42.ts', durationS: 2.36, discontinuity: true },
      { uri: '43.ts', durationS: 1.9996, discontinuity: false },
    ],
  });
  expect(text).toBe([
    '#EXTM3U',
    '#EXT-X-VERSION:3',
    '#EXT-X-MEDIA-SEQUENCE:41',
    '#EXT-X-TARGETDURATION:3',
    '#EXT-X-DISCONTINUITY-SEQUENCE:2',
    '#EXTINF:2.000,',
    '41.ts?expires=1700000000&sign=abc',
    '#EXT-X-DISCONTINUITY',
    '#EXTINF:2.360,',
    '42.ts?expires=1700000000&sign=abc',
    '#EXTINF:2.000,',
    '43.ts?expires=1700000000&sign=abc',
    '',
  ].join('\n'));
  const parsed = HLS.parse(text) as HLS.types.MediaPlaylist;
  expect([parsed.mediaSequenceBase, parsed.discontinuitySequenceBase, parsed.targetDuration, parsed.segments.map((s) => Boolean(s.discontinuity))])
    .toEqual([41, 2, 3, [false, true, false]]);
});

test('live playlist: no DISCONTINUITY-SEQUENCE at 0; target never below the caller value', () => {
  const text = livePlaylist({ mediaSequence: 0, discontinuitySequence: 0, targetDurationS: 6, segments: [{ uri: '0.ts', durationS: 2, discontinuity: false }] });
  expect(text).toBe('#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-TARGETDURATION:6\n#EXTINF:2.000,\n0.ts\n');
  expect(() => HLS.parse(text)).not.toThrow();
});

test('replay playlist: EVENT while growing, VOD + ENDLIST once ended', () => {
  const segments = [{ uri: '0.ts', durationS: 4.004, discontinuity: false }, { uri: '1.ts', durationS: 1.5, discontinuity: true }];
  expect(vodPlaylist({ segments, ended: true })).toBe([
    '#EXTM3U',
    '#EXT-X-VERSION:3',
    '#EXT-X-PLAYLIST-TYPE:VOD',
    '#EXT-X-MEDIA-SEQUENCE:0',
    '#EXT-X-TARGETDURATION:5',
    '#EXTINF:4.004,',
    '0.ts',
    '#EXT-X-DISCONTINUITY',
    '#EXTINF:1.500,',
    '1.ts',
    '#EXT-X-ENDLIST',
    '',
  ].join('\n'));
  const growing = vodPlaylist({ segments, ended: false });
  expect(growing).toContain('#EXT-X-PLAYLIST-TYPE:EVENT\n');
  expect(growing).not.toContain('#EXT-X-ENDLIST');
  const vod = HLS.parse(vodPlaylist({ segments, ended: true })) as HLS.types.MediaPlaylist;
  expect([vod.playlistType, vod.endlist, vod.segments.length]).toEqual(['VOD', true, 2]);
});

test('LiveWindow keeps HLS_PLAYLIST_LENGTH_S of segments, reports the ones that left, counts discontinuities', () => {
  const w = new LiveWindow(6);
  const removed: number[] = [];
  const durations = [2, 2, 2, 2, 3.5, 2];
  durations.forEach((d, i) => removed.push(...w.add({ index: i, durationS: d, discontinuity: i === 1 }).map((s) => s.index)));
  // after each add, the oldest goes while the rest still cover 6 s: 2 + 3.5 + 2 stays (3.5 + 2 < 6)
  expect(removed).toEqual([0, 1, 2]);
  expect(w.listed.map((s) => s.index)).toEqual([3, 4, 5]);
  const text = w.playlist((i) => `${i}.ts`, '?sign=x');
  expect(text).toBe([
    '#EXTM3U', '#EXT-X-VERSION:3', '#EXT-X-MEDIA-SEQUENCE:3', '#EXT-X-TARGETDURATION:4', '#EXT-X-DISCONTINUITY-SEQUENCE:1',
    '#EXTINF:2.000,', '3.ts?sign=x', '#EXTINF:3.500,', '4.ts?sign=x', '#EXTINF:2.000,', '5.ts?sign=x', '',
  ].join('\n'));
  expect(() => HLS.parse(text)).not.toThrow();
});

test('LiveWindow target duration never shrinks when the long segment leaves', () => {
  const w = new LiveWindow(4);
  [5.2, 2, 2, 2].forEach((d, i) => w.add({ index: i, durationS: d, discontinuity: false }));
  expect(w.listed.map((s) => s.index)).toEqual([2, 3]);
  expect(w.playlist((i) => `${i}.ts`)).toContain('#EXT-X-TARGETDURATION:6\n');
});

test('EXTINF rounds to the millisecond both ways; the target is the ceiling of what is written, at least 1', () => {
  const text = livePlaylist({
    mediaSequence: 5,
    discontinuitySequence: 0,
    segments: [
      { uri: '5.ts', durationS: 0.2494, discontinuity: false }, // rounds down
      { uri: '6.ts', durationS: 0.2496, discontinuity: false }, // rounds up
      { uri: '7.ts', durationS: 0.0004, discontinuity: false }, // rounds to zero
    ],
  });
  expect(text).toBe([
    '#EXTM3U', '#EXT-X-VERSION:3', '#EXT-X-MEDIA-SEQUENCE:5',
    '#EXT-X-TARGETDURATION:1', // nothing is longer than 1 s, and 0 is not a target
    '#EXTINF:0.249,', '5.ts', '#EXTINF:0.250,', '6.ts', '#EXTINF:0.000,', '7.ts', '',
  ].join('\n'));
  // 3.0004 is written "3.000": the target is 3, not 4; a caller's 2.5 becomes 3
  expect(targetDuration([{ uri: 'a', durationS: 3.0004, discontinuity: false }])).toBe(3);
  expect(targetDuration([{ uri: 'a', durationS: 1, discontinuity: false }], 2.5)).toBe(3);
  expect(targetDuration([])).toBe(1);
});

test('an empty replay playlist while the broadcast starts is still a valid EVENT playlist; the suffix signs its URIs', () => {
  const text = vodPlaylist({ segments: [], ended: false, targetDurationS: 2 });
  expect(text).toBe('#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-PLAYLIST-TYPE:EVENT\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-TARGETDURATION:2\n');
  expect((HLS.parse(text) as HLS.types.MediaPlaylist).playlistType).toBe('EVENT');
  const signed = vodPlaylist({ segments: [{ uri: '0.ts', durationS: 2, discontinuity: false }], ended: true, uriSuffix: '?s=1' });
  expect(signed.split('\n').filter((l) => !l.startsWith('#'))).toEqual(['0.ts?s=1', '']);
});

test('LiveWindow: one segment longer than the window stays listed; an empty window lists from sequence 0', () => {
  const w = new LiveWindow(4);
  expect(w.playlist((i) => `${i}.ts`)).toBe('#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-TARGETDURATION:1\n');
  expect(w.add({ index: 9, durationS: 12, discontinuity: false })).toEqual([]);
  // the 12 s segment leaves only once the newer ones cover the 4 s window without it
  expect(w.add({ index: 10, durationS: 2, discontinuity: false })).toEqual([]);
  expect(w.add({ index: 11, durationS: 2, discontinuity: false }).map((s) => s.index)).toEqual([9]);
  expect(w.listed.map((s) => s.index)).toEqual([10, 11]);
});

test('LiveWindow sums whole milliseconds: 1.1 + 1.8 + 1.1 reach a 4 s window exactly', () => {
  const w = new LiveWindow(4);
  // in floating point (1.2 + 1.1 + 1.8 + 1.1) - 1.2 is 3.999999999999999: segment 0 would wrongly stay
  [1.2, 1.1, 1.8, 1.1].forEach((d, i) => w.add({ index: i, durationS: d, discontinuity: i === 0 }));
  expect(w.listed.map((s) => s.index)).toEqual([1, 2, 3]);
  const parsed = HLS.parse(w.playlist((i) => `${i}.ts`)) as HLS.types.MediaPlaylist;
  // the discontinuity of segment 0 left with it
  expect([parsed.mediaSequenceBase, parsed.discontinuitySequenceBase]).toEqual([1, 1]);
});

test('LiveWindow never empties: even a zero-length window lists the newest segment; its target ignores digits not written', () => {
  const w = new LiveWindow(0);
  expect(w.add({ index: 0, durationS: 2.0004, discontinuity: false })).toEqual([]);
  expect(w.add({ index: 1, durationS: 2, discontinuity: false }).map((s) => s.index)).toEqual([0]);
  expect(w.listed.map((s) => s.index)).toEqual([1]);
  // 2.0004 was written as 2.000: the target stays 2
  expect(w.playlist((i) => `${i}.ts`)).toContain('#EXT-X-TARGETDURATION:2\n');
});

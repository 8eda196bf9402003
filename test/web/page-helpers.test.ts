// Pure helpers of the pages: number formatting (per locale) and cursor paging.
import { Pager } from '../../web/admin/pager';
import { formatBitrate, formatBytes, formatCount, formatDuration, secondsSince } from '../../web/shared/format';

test('bitrates, byte counts, durations and counts read like a stats page', () => {
  expect([formatBitrate(0), formatBitrate(950), formatBitrate(640_400), formatBitrate(2_345_678)]).toEqual(['—', '950 bps', '640 kbps', '2.35 Mbps']);
  expect([formatBytes(0), formatBytes(512), formatBytes(1536), formatBytes(5 * 1024 ** 3)]).toEqual(['0 B', '512 B', '1.5 KB', '5.0 GB']);
  const durations = [9.9, 185, 7260, 3 * 86400 + 4 * 3600];
  expect(durations.map((d) => formatDuration(d, 'en'))).toEqual(['9s', '3m 05s', '2h 01m', '3d 4h']);
  expect(durations.map((d) => formatDuration(d, 'zh-CN'))).toEqual(['9秒', '3分05秒', '2小时01分', '3天4小时']);
  expect(durations.map((d) => formatDuration(d))).toEqual(durations.map((d) => formatDuration(d, 'zh-CN'))); // zh-CN by default
  const counts = [999, 1234, 12_000, 56_789, 2_500_000, 123_456_789];
  expect(counts.map((n) => formatCount(n, 'en'))).toEqual(['999', '1.2K', '12K', '56.8K', '2.5M', '123.5M']);
  expect(counts.map((n) => formatCount(n, 'zh-CN'))).toEqual(['999', '1234', '1.2万', '5.7万', '250万', '1.2亿']);
  const now = Date.parse('2026-01-01T00:01:00Z');
  expect(secondsSince('2026-01-01T00:00:00Z', now)).toBe(60);
  expect([secondsSince(null, now), secondsSince('garbage', now), secondsSince('2026-01-01T00:02:00Z', now)]).toEqual([0, 0, 0]);
});

test('the pager keeps the cursors of visited pages so "newer" can go back', () => {
  const p = new Pager();
  expect([p.page, p.cursor, p.hasPrev, p.hasNext]).toEqual([1, undefined, false, false]);
  p.loaded('c2');
  expect(p.hasNext).toBe(true);
  p.forward();
  expect([p.page, p.cursor, p.hasPrev, p.hasNext]).toEqual([2, 'c2', true, false]);
  p.loaded('c3');
  p.forward();
  p.loaded(null); // last page
  expect([p.page, p.cursor, p.hasNext]).toEqual([3, 'c3', false]);
  p.forward(); // nothing further: stays
  expect(p.page).toBe(3);
  p.back();
  expect([p.page, p.cursor]).toEqual([2, 'c2']);
  p.back();
  p.back(); // already first
  expect([p.page, p.cursor, p.hasPrev]).toEqual([1, undefined, false]);
  p.loaded('x');
  p.reset();
  expect([p.page, p.hasNext]).toEqual([1, false]);
});

import { formatBitrate, formatClock, formatCount, formatDuration, formatViewers, liveFor } from '../../../miniprogram/lib/format';
import { resetLocale } from '../../../miniprogram/lib/i18n';
import { netStatusLine, readNetStatus } from '../../../miniprogram/lib/net-status';

afterEach(() => { resetLocale(); });

test('counts are compact and never overstate (en: k, M)', () => {
  resetLocale('en');
  expect([0, 7, 999, 1000, 1299, 9999, 10500, 999999, 1250000].map((n) => formatCount(n)))
    .toEqual(['0', '7', '999', '1k', '1.2k', '9.9k', '10k', '999k', '1.2M']);
  expect(formatCount(-3)).toBe('0');
  expect(formatCount(NaN)).toBe('0');
  expect(formatCount(Infinity)).toBe('0');
  expect(formatCount(999999.9)).toBe('999k');
  expect(formatCount(1e6)).toBe('1M');
  expect(formatCount(12345678)).toBe('12M');
  expect(formatViewers(1234)).toBe('1.2k watching');
});

test('zh-CN (the default) counts in 万 and 亿, never overstating', () => {
  expect([0, 7, 999, 1234, 9999, 10000, 12345, 99999, 123456, 99999999, 100000000, 123456789, 2e9].map((n) => formatCount(n)))
    .toEqual(['0', '7', '999', '1234', '9999', '1万', '1.2万', '9.9万', '12万', '9999万', '1亿', '1.2亿', '20亿']);
  expect(formatCount(-1)).toBe('0');
  expect(formatViewers(12345)).toBe('1.2万人在看');
  expect(formatViewers(1)).toBe('1人在看');
  expect(formatViewers(12345, 'en')).toBe('12k watching');
});

test('clock times: the time alone today, the date before it on other days, the year in other years', () => {
  // built from local times, so the expectations hold in any time zone the test runs in
  const now = new Date(2026, 10, 25, 20, 0).getTime();
  const iso = (...a: [number, number, number, number, number]) => new Date(...a).toISOString();
  expect(formatClock(iso(2026, 10, 25, 9, 5), now)).toBe('09:05');
  expect(formatClock(iso(2026, 10, 24, 23, 59), now)).toBe('11月24日 23:59');
  expect(formatClock(iso(2025, 0, 3, 7, 0), now)).toBe('2025年1月3日 07:00');
  expect(formatClock(iso(2026, 10, 24, 23, 59), now, 'en')).toBe('24 Nov 23:59');
  expect(formatClock(iso(2025, 0, 3, 7, 0), now, 'en')).toBe('3 Jan 2025 07:00');
  expect(formatClock(null, now)).toBe('');
  expect(formatClock('garbage', now)).toBe('');
});

test('bitrates in kbps and Mbps', () => {
  expect(formatBitrate(850.4)).toBe('850 kbps');
  expect(formatBitrate(1234)).toBe('1.2 Mbps');
  expect(formatBitrate(0)).toBe('0 kbps');
  expect(formatBitrate(NaN)).toBe('0 kbps');
  expect(formatBitrate(-5)).toBe('0 kbps');
  expect(formatBitrate(999.4)).toBe('999 kbps');
  expect(formatBitrate(1000)).toBe('1.0 Mbps');
});

test('a bitrate that rounds to 1000 kbps is shown in Mbps (it used to read "1000 kbps")', () => {
  expect(formatBitrate(999.6)).toBe('1.0 Mbps');
});

test('durations', () => {
  expect(formatDuration(7)).toBe('0:07');
  expect(formatDuration(754)).toBe('12:34');
  expect(formatDuration(3723)).toBe('1:02:03');
  expect(formatDuration(-5)).toBe('0:00');
  expect(formatDuration(610.9)).toBe('10:10');
  expect(formatDuration(36000)).toBe('10:00:00');
  expect(formatDuration(Infinity)).toBe('0:00');
  expect(formatDuration(NaN)).toBe('0:00');
  expect(liveFor('2026-11-25T12:00:00.000Z', Date.parse('2026-11-25T12:01:05.000Z'))).toBe('1:05');
  expect(liveFor(null, 0)).toBe('');
  expect(liveFor('garbage', 0)).toBe('');
});

test('netstatus detail is read defensively (numbers, numeric strings; junk dropped)', () => {
  const ns = readNetStatus({ info: { videoBitrate: 1100, audioBitrate: '64', videoFPS: 24.6, videoWidth: 1280, videoHeight: 720, netSpeed: 1250, netJitter: 'x', videoGOP: NaN, extra: 1 } });
  expect(ns).toEqual({ videoBitrate: 1100, audioBitrate: 64, videoFPS: 24.6, videoWidth: 1280, videoHeight: 720, netSpeed: 1250 });
  expect(netStatusLine(ns)).toBe('1.2 Mbps · 25 fps · 1280×720 · ↑1.3 Mbps');
  expect(readNetStatus(null)).toEqual({});
  expect(readNetStatus({ info: 'videoBitrate' })).toEqual({});
  expect(netStatusLine({})).toBe('');
  expect(netStatusLine({ videoFPS: 15 }, '↓')).toBe('15 fps');
});

test('netstatus: blank strings are no numbers, and one known field is enough for its part of the line', () => {
  expect(readNetStatus({ info: { videoFPS: '', netSpeed: '  ', videoBitrate: ' 900 ', audioBitrate: {} } })).toEqual({ videoBitrate: 900 });
  expect(netStatusLine({ audioBitrate: 64 })).toBe('64 kbps');
  expect(netStatusLine({ videoBitrate: 900 })).toBe('900 kbps');
  // a size is shown only when both sides are known
  expect(netStatusLine({ videoWidth: 1280 })).toBe('');
  expect(netStatusLine({ videoHeight: 720 })).toBe('');
  expect(netStatusLine({ netSpeed: 300 }, '↓')).toBe('↓300 kbps');
});

import { formatBitrate, formatCount, formatDuration, formatViewers, liveFor } from '../../../miniprogram/lib/format';
import { netStatusLine, readNetStatus } from '../../../miniprogram/lib/net-status';

test('counts are compact and never overstate', () => {
  expect([0, 7, 999, 1000, 1299, 9999, 10500, 999999, 1250000].map(formatCount))
    .toEqual(['0', '7', '999', '1k', '1.2k', '9.9k', '10k', '999k', '1.2M']);
  expect(formatCount(-3)).toBe('0');
  expect(formatCount(NaN)).toBe('0');
  expect(formatCount(Infinity)).toBe('0');
  expect(formatCount(999999.9)).toBe('999k');
  expect(formatCount(1e6)).toBe('1M');
  expect(formatCount(12345678)).toBe('12M');
  expect(formatViewers(1234)).toBe('1.2k watching');
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

import { buildQuery, chooseSource, joinUrl, pageUrl, parseQuery, roomPath, secondsUntil, watchLink } from '../../../miniprogram/lib/urls';
import { play } from '../helpers/fixtures';

test('query strings skip empty values and encode the rest', () => {
  expect(buildQuery({ status: 'live', limit: 20, cursor: undefined, x: null, y: '' })).toBe('?status=live&limit=20');
  expect(buildQuery({ q: 'a b&c' })).toBe('?q=a%20b%26c');
  expect(buildQuery({})).toBe('');
});

test('urls join with one slash', () => {
  expect(joinUrl('https://x.com/', '/api/rooms')).toBe('https://x.com/api/rooms');
  expect(joinUrl('https://x.com/base', 'api')).toBe('https://x.com/base/api');
  // runs of slashes at the seam collapse; slashes inside either part stay
  expect(joinUrl('https://x.com/base//', '//api/rooms/')).toBe('https://x.com/base/api/rooms/');
  expect(joinUrl('https://x.com', 'api/rooms')).toBe('https://x.com/api/rooms');
  expect(roomPath('abc', '/play')).toBe('/api/rooms/abc/play');
  expect(roomPath('../admin')).toBe('/api/rooms/..%2Fadmin');
  expect(pageUrl('audience', { id: 'R1' })).toBe('/pages/audience/index?id=R1');
  expect(pageUrl('host')).toBe('/pages/host/index');
  expect(watchLink('http://h:8080/', 'R1')).toBe('http://h:8080/watch/R1');
});

test('query strings parse back, first value wins, bad escapes survive', () => {
  expect(parseQuery('/p?id=R1&id=R2&t=a+b&bad=%E0%A4%A#frag')).toEqual({ id: 'R1', t: 'a b', bad: '%E0%A4%A' });
  expect(parseQuery('no-query')).toEqual({});
  expect(parseQuery('?id=R1')).toEqual({ id: 'R1' });
  expect(parseQuery('/p?')).toEqual({});
});

test('query parsing: flags, empty parts, nameless values, escaped names and values', () => {
  expect(parseQuery('/p?live&&=orphan&a%20b=c%3Dd&e=')).toEqual({ live: '', 'a b': 'c=d', e: '' });
  expect(parseQuery('/p?x=1=2')).toEqual({ x: '1=2' });
});

test('query parameters named like Object.prototype members are kept (they used to be dropped)', () => {
  expect(parseQuery('/p?constructor=a&toString=b&hasOwnProperty=c&toString=d'))
    .toEqual({ constructor: 'a', toString: 'b', hasOwnProperty: 'c' });
});

test('FLV first, RTMP after repeated FLV failures', () => {
  const p = play('R1').play;
  expect(chooseSource(p, 0)).toEqual({ kind: 'flv', src: p.flv });
  expect(chooseSource(p, 1)).toEqual({ kind: 'flv', src: p.flv });
  expect(chooseSource(p, 2)).toEqual({ kind: 'rtmp', src: p.rtmp });
  expect(chooseSource({ ...p, rtmp: '' }, 5).kind).toBe('flv');
  expect(chooseSource(p, 0, 0)).toEqual({ kind: 'rtmp', src: p.rtmp });
  expect(chooseSource(p, 3, 4).kind).toBe('flv');
});

test('seconds until an expiry', () => {
  expect(secondsUntil('2026-01-01T00:01:00Z', Date.parse('2026-01-01T00:00:00Z'))).toBe(60);
  expect(secondsUntil('nope', 0)).toBe(-1);
  // whole seconds, rounded down: half a second left is 0, half a second past is already expired
  expect(secondsUntil('2026-01-01T00:00:01Z', Date.parse('2026-01-01T00:00:00.500Z'))).toBe(0);
  expect(secondsUntil('2026-01-01T00:00:00Z', Date.parse('2026-01-01T00:00:00.500Z'))).toBe(-1);
  expect(secondsUntil('2026-01-01T00:00:00Z', Date.parse('2026-01-01T00:02:00Z'))).toBe(-120);
});

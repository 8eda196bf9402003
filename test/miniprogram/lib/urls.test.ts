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
  expect(roomPath('abc', '/play')).toBe('/api/rooms/abc/play');
  expect(roomPath('../admin')).toBe('/api/rooms/..%2Fadmin');
  expect(pageUrl('audience', { id: 'R1' })).toBe('/pages/audience/index?id=R1');
  expect(pageUrl('host')).toBe('/pages/host/index');
  expect(watchLink('http://h:8080/', 'R1')).toBe('http://h:8080/watch/R1');
});

test('query strings parse back, first value wins, bad escapes survive', () => {
  expect(parseQuery('/p?id=R1&id=R2&t=a+b&bad=%E0%A4%A#frag')).toEqual({ id: 'R1', t: 'a b', bad: '%E0%A4%A' });
  expect(parseQuery('no-query')).toEqual({});
});

test('FLV first, RTMP after repeated FLV failures', () => {
  const p = play('R1').play;
  expect(chooseSource(p, 0)).toEqual({ kind: 'flv', src: p.flv });
  expect(chooseSource(p, 1)).toEqual({ kind: 'flv', src: p.flv });
  expect(chooseSource(p, 2)).toEqual({ kind: 'rtmp', src: p.rtmp });
  expect(chooseSource({ ...p, rtmp: '' }, 5).kind).toBe('flv');
});

test('seconds until an expiry', () => {
  expect(secondsUntil('2026-01-01T00:01:00Z', Date.parse('2026-01-01T00:00:00Z'))).toBe(60);
  expect(secondsUntil('nope', 0)).toBe(-1);
});

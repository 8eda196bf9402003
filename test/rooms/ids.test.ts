// Room and broadcast ids: random base62 of fixed length, safe as RTMP stream names and path segments.
import { BROADCAST_ID_PATTERN, newBroadcastId, newRoomId, randomId, ROOM_ID_PATTERN } from '../../server/rooms/ids';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

test('new ids have their length and match their patterns', () => {
  for (let i = 0; i < 50; i++) {
    const room = newRoomId();
    const broadcast = newBroadcastId();
    expect(room).toMatch(/^[0-9A-Za-z]{12}$/);
    expect(broadcast).toMatch(/^[0-9A-Za-z]{10}$/);
    expect(ROOM_ID_PATTERN.test(room)).toBe(true);
    expect(BROADCAST_ID_PATTERN.test(broadcast)).toBe(true);
  }
  expect(randomId(0)).toBe('');
  expect(randomId(3)).toHaveLength(3);
});

test('ids draw on the whole base62 alphabet', () => {
  // 20 000 characters: the chance that any one of 62 is missing is below 1e-130
  const seen = new Set(Array.from({ length: 1000 }, () => randomId(20)).join(''));
  expect([...seen].sort().join('')).toBe([...BASE62].sort().join(''));
});

test('ids do not repeat', () => {
  const ids = new Set(Array.from({ length: 2000 }, () => newRoomId()));
  expect(ids.size).toBe(2000);
});

test.each([
  ['room', 12, ROOM_ID_PATTERN],
  ['broadcast', 10, BROADCAST_ID_PATTERN],
])('the %s id pattern accepts exactly %i base62 characters', (_kind, n, pattern) => {
  expect(pattern.test('aZ09'.repeat(3).slice(0, n))).toBe(true);
  expect(pattern.test('a'.repeat(n - 1))).toBe(false);
  expect(pattern.test('a'.repeat(n + 1))).toBe(false);
  expect(pattern.test(`-${'a'.repeat(n - 1)}`)).toBe(false);
  expect(pattern.test(`${'a'.repeat(n - 1)}_`)).toBe(false);
  expect(pattern.test(`${'a'.repeat(n - 1)}/`)).toBe(false);
  // anchored: a valid id inside a longer path is not an id
  expect(pattern.test(`../${'a'.repeat(n)}`)).toBe(false);
  expect(pattern.test(`${'a'.repeat(n)}/..`)).toBe(false);
  expect(pattern.test('')).toBe(false);
});

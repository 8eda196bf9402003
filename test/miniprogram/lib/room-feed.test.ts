import { RoomFeed } from '../../../miniprogram/lib/room-feed';
import { room } from '../helpers/fixtures';

test('pages through live, then idle, then ended rooms with the cursor', () => {
  const feed = new RoomFeed(2);
  const q1 = feed.nextQuery()!;
  expect(q1).toEqual({ status: 'live', limit: 2 });
  expect(feed.accept(q1, { rooms: [room({ id: 'L1' }), room({ id: 'L2' })], nextCursor: 'c1' })).toBe(true);
  const q2 = feed.nextQuery()!;
  expect(q2).toEqual({ status: 'live', limit: 2, cursor: 'c1' });
  feed.accept(q2, { rooms: [room({ id: 'L3' })], nextCursor: null });
  const q3 = feed.nextQuery()!;
  expect(q3).toEqual({ status: 'idle', limit: 2 });
  // a room that went live while we paged is listed once
  feed.accept(q3, { rooms: [room({ id: 'L3', status: 'idle' }), room({ id: 'I1', status: 'idle' })], nextCursor: null });
  const q4 = feed.nextQuery()!;
  expect(q4.status).toBe('ended');
  feed.accept(q4, { rooms: [room({ id: 'E1', status: 'ended' })], nextCursor: null });
  expect(feed.done).toBe(true);
  expect(feed.nextQuery()).toBeNull();
  expect(feed.rooms.map((r) => r.id)).toEqual(['L1', 'L2', 'L3', 'I1', 'E1']);
  expect(feed.empty).toBe(false);
});

test('a stale answer (old cursor) is ignored', () => {
  const feed = new RoomFeed(1);
  const q1 = feed.nextQuery()!;
  feed.accept(q1, { rooms: [room({ id: 'L1' })], nextCursor: 'c1' });
  expect(feed.accept(q1, { rooms: [room({ id: 'X' })], nextCursor: null })).toBe(false);
  expect(feed.rooms.map((r) => r.id)).toEqual(['L1']);
});

test('a stale answer from an earlier phase is ignored, and nothing is accepted once the feed is done', () => {
  const feed = new RoomFeed(1, ['live', 'idle']);
  const live = feed.nextQuery()!;
  feed.accept(live, { rooms: [room({ id: 'L1' })], nextCursor: null });
  // same (absent) cursor, other phase: still stale
  expect(feed.accept(live, { rooms: [room({ id: 'X' })], nextCursor: null })).toBe(false);
  const idle = feed.nextQuery()!;
  expect(feed.accept({ ...idle, cursor: 'forged' }, { rooms: [room({ id: 'Y', status: 'idle' })], nextCursor: null })).toBe(false);
  expect(feed.accept(idle, { rooms: [], nextCursor: null })).toBe(true);
  expect(feed.done).toBe(true);
  expect(feed.accept(idle, { rooms: [room({ id: 'Z', status: 'idle' })], nextCursor: null })).toBe(false);
  expect(feed.rooms.map((r) => r.id)).toEqual(['L1']);
});

test('empty only when every phase is done with no room; the defaults page 20 through live, idle, ended', () => {
  const feed = new RoomFeed();
  expect(feed.empty).toBe(false);
  const seen: unknown[] = [];
  for (let q = feed.nextQuery(); q; q = feed.nextQuery()) {
    seen.push(q);
    expect(feed.empty).toBe(false);
    feed.accept(q, { rooms: [], nextCursor: null });
  }
  expect(seen).toEqual([{ status: 'live', limit: 20 }, { status: 'idle', limit: 20 }, { status: 'ended', limit: 20 }]);
  expect(feed.empty).toBe(true);
});

test('reset starts over: no rooms, first phase, and rooms seen before are listed again', () => {
  const feed = new RoomFeed(5, ['live', 'idle']);
  feed.accept(feed.nextQuery()!, { rooms: [room({ id: 'L1' })], nextCursor: 'c1' });
  feed.reset();
  expect(feed.rooms).toEqual([]);
  expect(feed.done).toBe(false);
  expect(feed.nextQuery()).toEqual({ status: 'live', limit: 5 });
  feed.accept(feed.nextQuery()!, { rooms: [room({ id: 'L1' })], nextCursor: null });
  expect(feed.rooms.map((r) => r.id)).toEqual(['L1']);
});

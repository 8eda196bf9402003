// RoomRecord (epoch ms, nulls) → Room (the HTTP contract: ISO times, viewers only while live).
import type { RoomRecord } from '../../server/store/room-store';
import { toRoom } from '../../server/rooms/room-view';

const base: RoomRecord = {
  id: 'R00000000001', title: 't', cover: null, hostId: 'h', status: 'idle', createdAt: Date.UTC(2025, 0, 2, 3, 4, 5, 6),
  startedAt: null, endedAt: null, broadcastId: null, disconnectedAt: null, pushGeneration: 0, pushIssuedAt: Date.UTC(2025, 0, 2, 3, 4, 5, 6),
};

test('an idle room: ISO createdAt, null times, no cover field, no viewers', () => {
  expect(toRoom(base, 7)).toEqual({
    id: 'R00000000001', title: 't', hostId: 'h', status: 'idle', createdAt: '2025-01-02T03:04:05.006Z',
    startedAt: null, endedAt: null, viewers: 0,
  });
  expect('cover' in toRoom(base, 0)).toBe(false);
});

test('a live room shows its viewers and start time; the cover when set', () => {
  const r = toRoom({ ...base, status: 'live', startedAt: Date.UTC(2025, 0, 2, 4), cover: 'https://x/c.png', broadcastId: 'b000000001' }, 7);
  expect(r).toEqual({
    id: 'R00000000001', title: 't', hostId: 'h', status: 'live', cover: 'https://x/c.png', createdAt: '2025-01-02T03:04:05.006Z',
    startedAt: '2025-01-02T04:00:00.000Z', endedAt: null, viewers: 7,
  });
});

test('an ended room has its end time and no viewers, whatever the counter says', () => {
  const r = toRoom({ ...base, status: 'ended', startedAt: 0, endedAt: Date.UTC(2025, 0, 3) }, 5);
  expect([r.startedAt, r.endedAt, r.viewers]).toEqual(['1970-01-01T00:00:00.000Z', '2025-01-03T00:00:00.000Z', 0]);
});

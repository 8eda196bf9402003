// RoomRecord (storage) → Room (the HTTP contract).
import type { Room } from '../../typings/api';
import type { RoomRecord } from '../store/room-store';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function toRoom(r: RoomRecord, viewers: number): Room {
  const room: Room = {
    id: r.id, title: r.title, hostId: r.hostId, status: r.status,
    createdAt: new Date(r.createdAt).toISOString(), startedAt: iso(r.startedAt), endedAt: iso(r.endedAt),
    viewers: r.status === 'live' ? viewers : 0,
  };
  if (r.cover) room.cover = r.cover;
  return room;
}

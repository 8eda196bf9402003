// RoomRecord (storage) → Room (the HTTP contract). Viewer counts are the media's: whoever shows a room
// (the API) composes them in, so the room domain does not depend on the media plane.
import type { Room } from '../../typings/api';
import type { RoomRecord } from '../store/room-store';
import type { ViewerCounter } from './ports';

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

/** Shows rooms with the live viewer counts of `viewers` (asked only for live rooms). */
export function roomView(viewers: ViewerCounter): (r: RoomRecord) => Room {
  return (r) => toRoom(r, r.status === 'live' ? viewers.viewers(r.id) : 0);
}

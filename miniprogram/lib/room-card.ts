// Room → what one card on the home list shows.
import type { Room } from '../../typings/api';
import { formatViewers, liveFor } from './format';

export interface RoomCard {
  id: string;
  title: string;
  cover: string;
  live: boolean;
  /** "LIVE", "Soon", "Ended" */
  badge: string;
  /** "12 watching" for live rooms, "" otherwise */
  viewers: string;
  /** "live for 12:34" / "not started" / "ended" */
  note: string;
}

export function toRoomCard(room: Room, now: number): RoomCard {
  const live = room.status === 'live';
  const since = liveFor(room.startedAt, now);
  return {
    id: room.id,
    title: room.title,
    cover: room.cover ?? '',
    live,
    badge: live ? 'LIVE' : room.status === 'idle' ? 'Soon' : 'Ended',
    viewers: live ? formatViewers(room.viewers) : '',
    note: live ? (since ? `live for ${since}` : 'live') : room.status === 'idle' ? 'not started yet' : 'ended',
  };
}

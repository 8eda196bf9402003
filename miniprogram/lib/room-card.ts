// Room → what one card on the home list shows, in the current language.
import type { Room } from '../../typings/api';
import { formatClock, formatViewers, liveFor } from './format';
import { t } from './i18n';

export interface RoomCard {
  id: string;
  title: string;
  /** the room's cover image URL, "" without one (the card then shows a plain tile) */
  cover: string;
  live: boolean;
  /** "直播中" / "LIVE", "即将开始" / "Soon", "已结束" / "Ended" */
  badge: string;
  /** "12人在看" / "12 watching" for live rooms, "" otherwise */
  viewers: string;
  /** "已直播 12:34" / "live for 12:34", "尚未开始", "14:05 结束" / "ended 14:05" */
  note: string;
}

export function toRoomCard(room: Room, now: number): RoomCard {
  const live = room.status === 'live';
  const since = liveFor(room.startedAt, now);
  const endedAt = formatClock(room.endedAt, now);
  return {
    id: room.id,
    title: room.title,
    cover: room.cover ?? '',
    live,
    badge: t(live ? 'rooms.badgeLive' : room.status === 'idle' ? 'rooms.badgeSoon' : 'rooms.badgeEnded'),
    viewers: live ? formatViewers(room.viewers) : '',
    note: live ? (since ? t('format.liveFor', { d: since }) : t('rooms.noteLive'))
      : room.status === 'idle' ? t('rooms.noteIdle')
        : endedAt ? t('rooms.noteEndedAt', { t: endedAt }) : t('rooms.noteEnded'),
  };
}

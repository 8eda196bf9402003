// The front page: live rooms (refreshed every 15 s) and the most recent ended rooms that left a replay.
import type { Room, RoomListResponse } from '../../typings/api';
import { api, ApiError } from '../shared/api';
import { byId, setAttr, setShown, setText } from '../shared/dom';
import { formatCount, formatDateTime } from '../shared/format';
import { t } from '../shared/i18n';
import { roomCard } from './room-card';

export const LIVE_REFRESH_MS = 15000;
const LIVE_LIMIT = 24;
/** ended rooms looked at for a replay; the list is newest first */
const ENDED_LOOKED_AT = 12;

export class HomePage {
  private readonly main = byId('home');
  private readonly liveList = byId('live-list');
  private readonly replayList = byId('replay-list');
  private readonly error = byId('home-error');

  start(): void {
    void Promise.all([this.loadLive(), this.loadReplays()]).then(() => setAttr(this.main, 'data-state', 'ready'));
  }

  private async loadLive(): Promise<void> {
    try {
      const { rooms } = await api<RoomListResponse>(`/api/rooms?status=live&limit=${LIVE_LIMIT}`);
      this.liveList.replaceChildren(...rooms.map((room) => roomCard(room, 'live', {
        badge: t('watch.badge.live'),
        meta: t('watch.viewers', { count: formatCount(room.viewers) }),
      })));
      setShown(byId('live-empty'), rooms.length === 0);
      setShown(this.error, false);
    } catch (err) {
      this.showError(err);
    }
    setTimeout(() => void this.loadLive(), LIVE_REFRESH_MS);
  }

  private async loadReplays(): Promise<void> {
    try {
      const { rooms } = await api<RoomListResponse>(`/api/rooms?status=ended&limit=${ENDED_LOOKED_AT}`);
      const withReplay = (await Promise.all(rooms.map(async (room) => ((await hasReplay(room)) ? room : null))))
        .filter((r): r is Room => r !== null);
      this.replayList.replaceChildren(...withReplay.map((room) => roomCard(room, 'replay', {
        badge: t('watch.badge.replay'),
        meta: room.endedAt ? t('watch.meta.endedAt', { time: formatDateTime(room.endedAt) }) : t('watch.meta.ended'),
      })));
      setShown(byId('replays-empty'), withReplay.length === 0);
    } catch (err) {
      this.showError(err);
    }
  }

  private showError(err: unknown): void {
    const status = err instanceof ApiError ? err.status : 0;
    setText(this.error, status ? t('admin.error.other', { status }) : t('admin.error.network_error'));
    setShown(this.error, true);
  }
}

/** An ended room's play URLs answer 409 room_ended with the replay's URL, or null when it left none. */
async function hasReplay(room: Room): Promise<boolean> {
  try {
    await api(`/api/rooms/${encodeURIComponent(room.id)}/play`);
    return false;
  } catch (err) {
    return err instanceof ApiError && err.code === 'room_ended' && !!err.body?.error.replay;
  }
}

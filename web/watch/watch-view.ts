// The watch page's DOM: every update writes only what changed (no re-render, no flicker).
import type { Room } from '../../typings/api';
import { byId, setAttr, setShown, setText } from '../shared/dom';
import { formatClock, formatCount, formatDateTime } from '../shared/format';
import { t, type MessageKey } from '../shared/i18n';

/** What the page is doing; CSS keys off `data-state` on <main>. */
export type ViewState = 'loading' | 'idle' | 'connecting' | 'reconnecting' | 'playing' | 'ended' | 'replay' | 'missing' | 'failed';

/** the overlay's message and hint per state (web/shared/messages.ts); null: nothing shown */
const MESSAGES: Record<ViewState, [MessageKey | null, MessageKey | null]> = {
  loading: ['watch.loading', null],
  idle: ['watch.idle', 'watch.idle.hint'],
  connecting: ['watch.connecting', null],
  reconnecting: ['watch.reconnecting', 'watch.reconnecting.hint'],
  playing: [null, null],
  ended: ['watch.ended', 'watch.ended.hint'],
  replay: ['watch.ended', 'watch.replay.hint'],
  missing: ['watch.missing', 'watch.missing.hint'],
  failed: ['watch.failed', 'watch.failed.hint'],
};

export class WatchView {
  private readonly main = byId('watch');
  readonly video = byId<HTMLVideoElement>('video');
  private readonly cover = byId<HTMLImageElement>('cover');
  private readonly overlay = byId('overlay');
  private readonly message = byId('message');
  private readonly hint = byId('hint');
  private readonly liveBadge = byId('live-badge');
  private readonly replayBadge = byId('replay-badge');
  private readonly viewers = byId('viewers');
  private readonly title = byId('title');
  private readonly meta = byId('meta');
  private readonly notice = byId('notice');
  /** "Watch replays" → /videos?room=<id>, once the broadcast is over */
  private readonly replaysLink = byId<HTMLAnchorElement>('replays-link');
  readonly unmute = byId<HTMLButtonElement>('unmute');
  readonly tapToPlay = byId<HTMLButtonElement>('tap-to-play');
  private firstFrameSeen = false;
  private roomLive = false;
  private current: ViewState = 'loading';

  room(room: Room): void {
    setText(this.title, room.title);
    const docTitle = `${room.title} · wxlive`;
    if (document.title !== docTitle) document.title = docTitle;
    if (room.cover) {
      setAttr(this.cover, 'src', room.cover);
      setAttr(this.video, 'poster', room.cover);
    }
    setShown(this.cover, !!room.cover && !this.firstFrameSeen);
    this.roomLive = room.status === 'live';
    this.badges();
    setText(this.viewers, t('watch.viewers', { count: formatCount(room.viewers) }));
    setAttr(this.main, 'data-status', room.status);
    setText(this.meta, describe(room));
    setAttr(this.replaysLink, 'href', `/videos?room=${encodeURIComponent(room.id)}`);
  }

  state(state: ViewState, detail?: string): void {
    this.current = state;
    this.badges();
    setAttr(this.main, 'data-state', state);
    const [messageKey, hintKey] = MESSAGES[state];
    const message = messageKey ? t(messageKey) : '';
    setText(this.message, message);
    setText(this.hint, detail ?? (hintKey ? t(hintKey) : ''));
    setShown(this.overlay, message !== '' && state !== 'replay');
    setShown(this.replayBadge, state === 'replay');
    setShown(this.notice, state === 'replay');
    setText(this.notice, state === 'replay' ? t('watch.replay.notice') : '');
    setShown(this.replaysLink, state === 'ended' || state === 'replay');
    this.video.controls = state === 'replay'; // live has nothing to seek; the replay does
    if (state === 'playing' || state === 'replay') return;
    setShown(this.tapToPlay, false);
  }

  /** LIVE and the viewer count, unless the page already knows the broadcast is over (before the next room poll). */
  private badges(): void {
    const over = this.current === 'ended' || this.current === 'replay' || this.current === 'missing';
    setShown(this.liveBadge, this.roomLive && !over);
    setShown(this.viewers, this.roomLive && !over);
  }

  engine(name: string | null): void {
    setAttr(this.main, 'data-engine', name);
  }

  /** The first picture is on screen: the cover has done its job. */
  firstFrame(): void {
    this.firstFrameSeen = true;
    setShown(this.cover, false);
    setAttr(this.main, 'data-first-frame', '');
  }

  muted(muted: boolean, playing: boolean): void {
    setShown(this.unmute, muted && playing);
  }

  needsTap(needed: boolean): void {
    setShown(this.tapToPlay, needed);
  }
}

function describe(room: Room): string {
  if (room.status === 'idle') return t('watch.meta.idle');
  if (room.status === 'live') return room.startedAt ? t('watch.meta.liveSince', { time: formatClock(room.startedAt) }) : t('watch.meta.live');
  return room.endedAt ? t('watch.meta.endedAt', { time: formatDateTime(room.endedAt) }) : t('watch.meta.ended');
}

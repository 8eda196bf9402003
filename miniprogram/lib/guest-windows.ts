// The co-hosts' small windows (连麦, typings/cohost.ts), shared by the audience and host pages: the line-up
// from `cohosts` frames (and `play.guests` before the first frame), each guest's signed URL from GET play,
// one <live-player mode="RTC"> per guest with its name, and every player code through lib/player-states with
// its own retry budget (lib/play-recovery), as the main player has. A page mixes `guestWindowMethods` in.
import type { PlayUrls } from '../../typings/api';
import type { CohostGuest, GuestPlayUrls, GuestSlot } from '../../typings/cohost';
import { CONFIG } from '../config';
import { api } from '../services/client';
import { t } from './i18n';
import { PlayRecovery } from './play-recovery';
import { playerState } from './player-states';
import type { Tone } from './pusher-states';

export interface GuestWindow {
  slot: GuestSlot;
  userId: string;
  name: string;
  src: string;
  /** what the small window says over the picture ("" while playing) */
  status: string;
  tone: Tone;
  playing: boolean;
}

export interface GuestWindowData {
  guestWindows: GuestWindow[];
}

export const initialGuestWindowData: GuestWindowData = { guestWindows: [] };

/** the co-hosts' own path: merged writes off for this viewer (typings/cohost.ts) */
export const lowLatency = (flv: string): string => `${flv}${flv.includes('?') ? '&' : '?'}latency=low`;

interface SlotState { recovery: PlayRecovery; timer: ReturnType<typeof setTimeout> | null; status: string; tone: Tone; playing: boolean }

interface GuestRuntime {
  guests: CohostGuest[];
  urls: GuestPlayUrls[];
  slots: Map<GuestSlot, SlotState>;
  /** a `cohosts` frame came: play.guests (older) no longer decides the line-up */
  framed: boolean;
  fetching: Promise<void> | null;
  hidden: boolean;
}

const runtimes = new WeakMap<object, GuestRuntime>();
function grt(self: object): GuestRuntime {
  let r = runtimes.get(self);
  if (!r) {
    r = { guests: [], urls: [], slots: new Map(), framed: false, fetching: null, hidden: false };
    runtimes.set(self, r);
  }
  return r;
}

export interface GuestWindowPage {
  data: GuestWindowData & { roomId: string };
  setData(patch: Partial<GuestWindowData>, callback?: () => void): void;
  /** true for the host and an on-air guest: they talk to each other, so `&latency=low` */
  guestLowLatency(): boolean;
  /** the user whose own window is a pusher, not a player (a guest on the audience page); null otherwise */
  guestSelfId(): string | null;
  renderGuestWindows(restart?: GuestSlot[]): void;
  refreshGuestUrls(): Promise<void>;
  retryGuest(slot: GuestSlot): void;
}

function slotState(r: GuestRuntime, slot: GuestSlot): SlotState {
  let s = r.slots.get(slot);
  if (!s) {
    s = { recovery: new PlayRecovery(CONFIG.playRetry), timer: null, status: t('cohost.guestWaiting'), tone: 'info', playing: false };
    r.slots.set(slot, s);
  }
  return s;
}

function clearSlot(r: GuestRuntime, slot: GuestSlot): void {
  const s = r.slots.get(slot);
  if (s?.timer) clearTimeout(s.timer);
  r.slots.delete(slot);
}

export const guestWindowMethods = {
  /** The play answer (first load, a re-fetch): guests' signed URLs, and the line-up until a frame says otherwise. */
  takeGuestUrls(this: GuestWindowPage, play: PlayUrls) {
    const r = grt(this);
    r.urls = play.guests ?? [];
    if (!r.framed) r.guests = r.urls.map((g) => ({ slot: g.slot, user: g.user }));
    this.renderGuestWindows();
  },

  /** A `cohosts` frame: the line-up now; a guest we hold no URL for sends us to GET play for it. */
  showLineup(this: GuestWindowPage, guests: CohostGuest[]) {
    const r = grt(this);
    r.framed = true;
    r.guests = guests;
    for (const slot of Array.from(r.slots.keys())) {
      if (!guests.some((g) => g.slot === slot)) clearSlot(r, slot);
    }
    this.renderGuestWindows();
    const self = this.guestSelfId();
    const missing = guests.some((g) => g.user.id !== self && !r.urls.some((u) => u.slot === g.slot && u.user.id === g.user.id));
    if (missing) this.refreshGuestUrls().catch(() => undefined);
  },

  /** GET play once for all who wait on it (its `guests` carry fresh signatures). */
  refreshGuestUrls(this: GuestWindowPage & { takeGuestUrls(p: PlayUrls): void }): Promise<void> {
    const r = grt(this);
    if (!r.fetching) {
      r.fetching = api().playUrls(this.data.roomId)
        .then((play) => this.takeGuestUrls(play))
        .finally(() => { r.fetching = null; });
    }
    return r.fetching;
  },

  /** The windows from the line-up and the URLs; `restart` players get stop()+play() once they have the new src. */
  renderGuestWindows(this: GuestWindowPage, restart: GuestSlot[] = []) {
    const r = grt(this);
    const self = this.guestSelfId();
    const windows: GuestWindow[] = r.guests.filter((g) => g.user.id !== self).map((g) => {
      const url = r.urls.find((u) => u.slot === g.slot && u.user.id === g.user.id);
      const s = slotState(r, g.slot);
      let src = '';
      if (url) {
        const chosen = s.recovery.source({ flv: url.flv, rtmp: url.rtmp, hls: url.hls, expiresAt: '' });
        src = chosen.kind === 'flv' && this.guestLowLatency() ? lowLatency(chosen.src) : chosen.src;
      }
      return { slot: g.slot, userId: g.user.id, name: g.user.nickname, src, status: s.status, tone: s.tone, playing: s.playing };
    });
    this.setData({ guestWindows: windows }, () => {
      for (const slot of restart) {
        if (!windows.some((w) => w.slot === slot && w.src)) continue;
        const ctx = wx.createLivePlayerContext(`guest-${slot}`, this as unknown as WechatMiniprogram.Component.TrivialInstance);
        ctx.stop({});
        ctx.play({});
      }
    });
  },

  /** A small player's statechange: the same table as the main player, acted on per slot. */
  onGuestPlayerState(this: GuestWindowPage, e: WechatMiniprogram.CustomEvent<{ code?: number | string }, {}, { slot?: GuestSlot }>) {
    const slot = e.currentTarget.dataset.slot;
    const r = grt(this);
    if (!slot || !r.guests.some((g) => g.slot === slot)) return;
    const s = slotState(r, slot);
    const row = playerState(Number(e.detail.code));
    switch (row.action) {
      case 'playing':
        s.recovery.onPlaying();
        Object.assign(s, { playing: true, status: '', tone: 'ok' });
        break;
      case 'buffering':
      case 'stutter':
      case 'reconnecting':
        Object.assign(s, { status: row.action === 'reconnecting' ? t('cohost.guestRetrying') : row.status, tone: row.tone });
        break;
      case 'refetch':
      case 'stream-ended':
        // the guest's stream stopped or the player gave up: fresh URLs after the backoff while it is on the line-up
        s.playing = false;
        this.retryGuest(slot);
        return;
      case 'none':
        if (!s.playing) Object.assign(s, { status: row.status, tone: row.tone });
        break;
    }
    this.renderGuestWindows();
  },

  retryGuest(this: GuestWindowPage, slot: GuestSlot) {
    const r = grt(this);
    const s = slotState(r, slot);
    if (s.timer) clearTimeout(s.timer);
    s.timer = null;
    if (r.hidden) return; // onShow fetches afresh
    const step = s.recovery.onFailure();
    if (step.kind === 'offline') {
      Object.assign(s, { status: t('cohost.guestGone'), tone: 'warn', playing: false });
      this.renderGuestWindows();
      return;
    }
    Object.assign(s, { status: t('cohost.guestRetrying'), tone: 'warn' });
    this.renderGuestWindows();
    s.timer = setTimeout(() => {
      s.timer = null;
      this.refreshGuestUrls()
        .then(() => this.renderGuestWindows([slot]))
        .catch(() => { if (grt(this).slots.get(slot) === s) this.retryGuest(slot); });
    }, step.delayMs);
  },

  /** Background: no retries (they would fail there and spend the budget). */
  guestsPause(this: GuestWindowPage) {
    const r = grt(this);
    r.hidden = true;
    r.slots.forEach((s) => { if (s.timer) clearTimeout(s.timer); s.timer = null; });
  },

  /** Foreground: fresh URLs for everyone on the line-up, each budget from the start. */
  guestsResume(this: GuestWindowPage) {
    const r = grt(this);
    if (!r.hidden) return;
    r.hidden = false;
    if (!r.guests.length) return;
    r.slots.forEach((s) => s.recovery.onPlaying());
    this.refreshGuestUrls().then(() => this.renderGuestWindows(r.guests.map((g) => g.slot))).catch(() => undefined);
  },

  /** Leaving or ended: timers stop, windows go. */
  guestsStop(this: GuestWindowPage) {
    const r = grt(this);
    for (const slot of Array.from(r.slots.keys())) clearSlot(r, slot);
    r.guests = [];
    r.urls = [];
    this.setData({ guestWindows: [] });
  },
};

export const guestLineup = (self: object): CohostGuest[] => grt(self).guests;

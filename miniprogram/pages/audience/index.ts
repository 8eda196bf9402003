// Audience page: GET /api/rooms/:id/play → <live-player> (FLV, RTMP after repeated failures); every
// statechange code handled through lib/player-states; "host is offline" polling; "broadcast ended".
import type { PlayUrls, Room } from '../../../typings/api';
import { CONFIG } from '../../config';
import { formatViewers } from '../../lib/format';
import { labels, t } from '../../lib/i18n';
import { netStatusLine, readNetStatus } from '../../lib/net-status';
import { PlayRecovery } from '../../lib/play-recovery';
import { playerState } from '../../lib/player-states';
import { pageUrl } from '../../lib/urls';
import { describeError, isApiError } from '../../services/api-error';
import { api } from '../../services/client';
import { initialAudienceData as initial } from './audience-data';

type Timer = ReturnType<typeof setTimeout>;

interface Runtime {
  recovery: PlayRecovery;
  ctx: WechatMiniprogram.LivePlayerContext | null;
  retryTimer: Timer | null;
  viewersTimer: ReturnType<typeof setInterval> | null;
  pollTimer: ReturnType<typeof setInterval> | null;
  /** bumps whenever the page changes course (retry, offline, ended): a play fetch from before is dropped */
  generation: number;
  gone: boolean;
}

const runtimes = new WeakMap<object, Runtime>();
function rt(self: object): Runtime {
  let r = runtimes.get(self);
  if (!r) {
    r = { recovery: new PlayRecovery(CONFIG.playRetry), ctx: null, retryTimer: null, viewersTimer: null, pollTimer: null, generation: 0, gone: false };
    runtimes.set(self, r);
  }
  return r;
}

Component({
  data: initial,

  lifetimes: {
    attached() {
      this.setData({ m: labels('audience'), status: t('audience.loading') });
    },
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      wx.setNavigationBarTitle({ title: t('audience.navTitle') });
      const id = query.id ?? '';
      if (!id) {
        this.setData({ stage: 'missing', status: t('audience.noRoom'), tone: 'error' });
        return Promise.resolve();
      }
      this.setData({ roomId: id });
      return this.open();
    },

    onUnload() {
      const r = rt(this);
      r.gone = true;
      this.stopTimers();
      if (r.ctx) r.ctx.stop({});
    },

    onShareAppMessage() {
      return { title: this.data.title || t('audience.shareTitle'), path: pageUrl('audience', { id: this.data.roomId }) };
    },

    /** First load: room details, then play URLs (or the ended/missing state). */
    async open(): Promise<void> {
      try {
        const room = await api().getRoom(this.data.roomId);
        this.showRoom(room);
        // nothing to play before the host's first packets: wait for the room to go live
        if (room.status === 'idle') this.goOffline(t('audience.notStarted'));
        else await this.fetchAndPlay();
        if (this.data.stage !== 'ended') this.startViewerRefresh();
      } catch (e) {
        if (isApiError(e, 'room_not_found')) this.setData({ stage: 'missing', status: t('audience.notFound'), tone: 'error' });
        else this.setData({ stage: 'error', error: describeError(e), status: describeError(e), tone: 'error' });
      }
    },

    onRetry() {
      this.setData({ stage: 'loading', error: '', status: t('audience.loading'), tone: 'info' });
      return this.open();
    },

    showRoom(room: Room) {
      this.setData({ title: room.title, viewers: room.status === 'live' ? formatViewers(room.viewers) : '' });
    },

    player(): WechatMiniprogram.LivePlayerContext {
      const r = rt(this);
      if (!r.ctx) r.ctx = wx.createLivePlayerContext('player', this);
      return r.ctx;
    },

    /** GET play → live-player src; an ended room (409) shows "broadcast ended" with the replay. */
    async fetchAndPlay(): Promise<void> {
      const r = rt(this);
      const generation = r.generation;
      let play: PlayUrls;
      try {
        play = await api().playUrls(this.data.roomId);
      } catch (e) {
        if (r.gone || generation !== r.generation) return;
        if (isApiError(e, 'room_ended')) {
          this.showEnded(e.replay);
          return;
        }
        throw e;
      }
      if (r.gone || generation !== r.generation) return;
      const { kind, src } = r.recovery.source(play);
      const restart = this.data.src !== '';
      this.setData({ src, kind, stage: 'watching', status: t('audience.connecting'), tone: 'info' });
      // the first src autoplays; a replacement needs an explicit restart
      if (restart) {
        const ctx = this.player();
        ctx.stop({});
        ctx.play({});
      }
    },

    showEnded(replay: string | null) {
      rt(this).generation += 1;
      this.stopTimers();
      if (rt(this).ctx) this.player().stop({});
      this.setData({
        stage: 'ended', replay: replay ?? '', playing: false, buffering: false, reconnecting: false, viewers: '',
        status: t('audience.ended'), tone: 'info',
      });
    },

    // ---- live-player events ----

    onPlayerState(e: WechatMiniprogram.CustomEvent<{ code?: number | string }>) {
      if (this.data.stage === 'ended') return;
      const row = playerState(Number(e.detail.code));
      this.setData({ status: row.status, tone: row.tone });
      switch (row.action) {
        case 'playing':
          rt(this).recovery.onPlaying();
          this.setData({ playing: true, buffering: false, reconnecting: false, stage: 'watching' });
          break;
        case 'buffering':
        case 'stutter':
          this.setData({ buffering: true });
          break;
        case 'reconnecting':
          this.setData({ reconnecting: true, buffering: false });
          break;
        case 'refetch':
          this.retryLater();
          break;
        case 'stream-ended':
          this.checkEnded();
          break;
        case 'none':
          break;
      }
    },

    onNetStatus(e: WechatMiniprogram.CustomEvent<WechatMiniprogram.IAnyObject>) {
      this.setData({ netLine: netStatusLine(readNetStatus(e.detail), '↓') });
    },

    onFullScreenChange(e: WechatMiniprogram.CustomEvent<{ fullScreen?: boolean }>) {
      this.setData({ fullScreen: !!e.detail.fullScreen });
    },

    // ---- recovery ----

    /** -2301: re-fetch play URLs after the backoff; out of tries → "host is offline" and poll the room. */
    retryLater() {
      const r = rt(this);
      const step = r.recovery.onFailure();
      r.generation += 1;
      if (r.retryTimer !== null) clearTimeout(r.retryTimer);
      r.retryTimer = null;
      if (step.kind === 'offline') {
        this.goOffline();
        return;
      }
      this.setData({
        playing: false, buffering: false, reconnecting: true, tone: 'error',
        status: t('audience.retrying', { s: Math.ceil(step.delayMs / 1000), n: step.attempt, max: step.maxTries }),
      });
      r.retryTimer = setTimeout(() => {
        r.retryTimer = null;
        this.fetchAndPlay().catch(() => this.retryLater());
      }, step.delayMs);
    },

    /** 2006: the stream stopped; ended rooms say so, anything else is a failure to recover from. */
    async checkEnded(): Promise<void> {
      try {
        const room = await api().getRoom(this.data.roomId);
        if (room.status === 'ended') await this.fetchAndPlay(); // answers 409 with the replay
        else this.retryLater();
      } catch {
        this.retryLater();
      }
    },

    goOffline(status = t('audience.hostOffline')) {
      const r = rt(this);
      r.generation += 1;
      if (r.ctx) r.ctx.stop({});
      this.setData({ stage: 'offline', playing: false, buffering: false, reconnecting: false, status, tone: 'warn' });
      if (r.pollTimer === null) r.pollTimer = setInterval(() => { this.pollRoom(); }, CONFIG.offlinePollMs);
    },

    /** While offline: back to playing when the room is live again, "ended" when it ends. */
    async pollRoom(): Promise<void> {
      const r = rt(this);
      try {
        const room = await api().getRoom(this.data.roomId);
        if (r.gone || this.data.stage !== 'offline') return;
        this.showRoom(room);
        if (room.status === 'idle') return;
        if (r.pollTimer !== null) clearInterval(r.pollTimer);
        r.pollTimer = null;
        r.recovery.reset();
        // the previous src is still set, so this restarts the player with the fresh URL
        await this.fetchAndPlay();
      } catch {
        // still offline: the next tick tries again
      }
    },

    startViewerRefresh() {
      const r = rt(this);
      if (r.viewersTimer !== null) return;
      r.viewersTimer = setInterval(() => {
        api().getRoom(this.data.roomId)
          .then((room) => {
            if (r.gone || this.data.stage === 'ended') return;
            if (room.status === 'ended') return this.fetchAndPlay();
            this.showRoom(room);
            return undefined;
          })
          .catch(() => { /* a missed refresh only leaves the count stale */ });
      }, CONFIG.viewerRefreshMs);
    },

    stopTimers() {
      const r = rt(this);
      if (r.retryTimer !== null) clearTimeout(r.retryTimer);
      if (r.viewersTimer !== null) clearInterval(r.viewersTimer);
      if (r.pollTimer !== null) clearInterval(r.pollTimer);
      r.retryTimer = r.viewersTimer = r.pollTimer = null;
    },

    // ---- controls ----

    onToggleFullScreen() {
      if (this.data.fullScreen) this.player().exitFullScreen({});
      else this.player().requestFullScreen({ direction: 90 });
    },

    onToggleMute() {
      this.setData({ muted: !this.data.muted });
    },

    onCopyReplay() {
      if (this.data.replay) wx.setClipboardData({ data: this.data.replay });
    },
  },
});

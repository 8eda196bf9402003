// Audience page: GET /api/rooms/:id/play → <live-player> (FLV, RTMP after repeated failures); every
// statechange code through lib/player-states; "host is offline" polling; "broadcast ended"; and a phone's
// ordinary life: background (timers paused, nothing counted as a failure), the viewer's own network going
// away, stutter that clears, full screen in the video's direction, picture-in-picture; the room's chat
// (lib/chat-page) over the player, likes, and the nickname sheet (lib/profile-sheet).
import type { PlayUrls, Room } from '../../../typings/api';
import { CONFIG } from '../../config';
import { chatMethods } from '../../lib/chat-page';
import { guestWindowMethods, lowLatency } from '../../lib/guest-windows';
import { profileMethods } from '../../lib/profile-sheet';
import { formatViewers } from '../../lib/format';
import { labels, t } from '../../lib/i18n';
import { pageUrl } from '../../lib/urls';
import { videoLinkMethods } from '../../lib/video-links';
import { describeError, isApiError } from '../../services/api-error';
import { api } from '../../services/client';
import { initialAudienceData as initial } from './audience-data';
import { audienceCohost } from './audience-cohost';
import { audienceCohostPusher } from './audience-cohost-pusher';
import { audienceLife } from './audience-life';
import { audiencePlayer } from './audience-player';
import { keepScreenOn, rt } from './audience-runtime';

Component({
  data: initial,

  lifetimes: {
    attached() {
      this.setData({ m: labels('audience'), c: labels('chat'), p: labels('profile'), k: labels('cohost'), status: t('audience.loading') });
      const r = rt(this);
      r.network = (res) => this.onNetworkChange(!!res.isConnected);
      wx.onNetworkStatusChange(r.network);
    },
    detached() {
      this.unlisten();
    },
  },

  methods: {
    ...audienceLife,
    ...audiencePlayer,
    ...chatMethods,
    ...profileMethods,
    ...audienceCohost,
    ...audienceCohostPusher,
    ...guestWindowMethods,
    ...videoLinkMethods,

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

    /** While floating (picture-in-picture) the player lives on after the page: leave it playing. */
    onUnload() {
      const r = rt(this);
      r.gone = true;
      this.stopTimers();
      this.clearStutter();
      this.unlisten();
      this.cohostStop(); // leaves the line-up over the socket: before it closes
      this.guestsStop();
      this.chatStop();
      if (!this.data.floating && (r.ctx || this.data.src)) this.player().stop({});
      keepScreenOn(false);
    },

    onShareAppMessage() {
      return { title: this.data.title || t('audience.shareTitle'), path: pageUrl('audience', { id: this.data.roomId }) };
    },

    /** First load: room details, then play URLs (or the ended/missing state). */
    async open(): Promise<void> {
      const r = rt(this);
      try {
        const room = await api().getRoom(this.data.roomId);
        this.showRoom(room);
        if (room.status !== 'ended') this.chatStart();
        // nothing to play before the host's first packets: wait for the room to go live
        if (room.status === 'idle') this.goOffline(t('audience.notStarted'));
        else await this.fetchAndPlay();
        if (this.data.stage !== 'ended') this.startViewerRefresh();
      } catch (e) {
        if (r.hidden) {
          r.owed = 'open'; // failed because the page went to the background: load again when it shows
          return;
        }
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
      this.takeGuestUrls(play);
      const chosen = r.recovery.source(play);
      const kind = chosen.kind;
      // on air with the host: the co-hosts' own low-latency path (typings/cohost.ts)
      const src = this.data.cohost === 'on' && kind === 'flv' ? lowLatency(chosen.src) : chosen.src;
      const restart = this.data.src !== '';
      // the first src autoplays; a replacement needs a restart, once live-player has it (setData callback)
      this.setData({ src, kind, stage: 'watching', viewerOffline: false, status: t('audience.connecting'), tone: 'info' }, () => {
        if (!restart || r.gone || generation !== r.generation) return;
        const ctx = this.player();
        ctx.stop({});
        ctx.play({});
      });
    },

    showEnded(replay: string | null) {
      rt(this).generation += 1;
      this.stopTimers();
      this.cohostStop();
      this.guestsStop();
      this.chatStop();
      if (rt(this).ctx) this.player().stop({});
      this.setData({
        stage: 'ended', replay: replay ?? '', playing: false, buffering: false, reconnecting: false, viewers: '',
        status: t('audience.ended'), tone: 'info',
      });
      keepScreenOn(false);
    },

    /** The socket said `state ended` (or closed 4004): the play URL answers 409 with the replay. */
    onChatRoomEnded() {
      if (this.data.stage === 'ended') return;
      this.fetchAndPlay()
        .then(() => { if (this.data.stage !== 'ended') this.showEnded(null); })
        .catch(() => this.showEnded(null));
    },

    // ---- recovery ----

    /** Re-fetch play URLs after the backoff; out of tries → "host is offline" and poll the room. */
    retryLater() {
      const r = rt(this);
      if (r.retryTimer !== null) clearTimeout(r.retryTimer);
      r.retryTimer = null;
      if (r.gone) return;
      if (r.hidden) {
        r.owed = 'retry'; // a failure in the background is the background's, not the host's
        return;
      }
      if (r.viewerOffline) {
        this.waitForNetwork();
        return;
      }
      const step = r.recovery.onFailure();
      r.generation += 1;
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
      keepScreenOn(false);
      if (!r.hidden) this.startPolling();
    },

    startPolling() {
      const r = rt(this);
      if (r.pollTimer === null) r.pollTimer = setInterval(() => { this.pollRoom(); }, CONFIG.offlinePollMs);
    },

    /** While offline: back to playing when the room is live again, "ended" when it ends. */
    async pollRoom(): Promise<void> {
      const r = rt(this);
      try {
        const room = await api().getRoom(this.data.roomId);
        if (r.gone || r.hidden || this.data.stage !== 'offline') return;
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
      if (r.viewersTimer !== null || r.hidden) return;
      r.viewersTimer = setInterval(() => this.refreshRoom(), CONFIG.viewerRefreshMs);
    },

    /** The viewer count, and whether the room ended meanwhile. */
    refreshRoom() {
      const r = rt(this);
      api().getRoom(this.data.roomId)
        .then((room) => {
          if (r.gone || r.hidden || this.data.stage === 'ended') return;
          if (room.status === 'ended') return this.fetchAndPlay();
          this.showRoom(room);
          return undefined;
        })
        .catch(() => { /* a missed refresh only leaves the count stale */ });
    },

    stopTimers() {
      const r = rt(this);
      if (r.retryTimer !== null) clearTimeout(r.retryTimer);
      if (r.viewersTimer !== null) clearInterval(r.viewersTimer);
      if (r.pollTimer !== null) clearInterval(r.pollTimer);
      r.retryTimer = r.viewersTimer = r.pollTimer = null;
    },

  },
});

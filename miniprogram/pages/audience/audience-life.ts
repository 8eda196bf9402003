// The audience page's part in a phone's ordinary life: background and foreground, the viewer's own network,
// full screen in the video's direction, picture-in-picture, and the controls drawn inside live-player.
import { t } from '../../lib/i18n';
import type { AudienceData } from './audience-data';
import { keepScreenOn, rt } from './audience-runtime';

interface AudiencePage {
  data: AudienceData;
  setData(patch: Partial<AudienceData>, callback?: () => void): void;
  player(): WechatMiniprogram.LivePlayerContext;
  open(): Promise<void>;
  fetchAndPlay(): Promise<void>;
  retryLater(): void;
  refreshRoom(): void;
  startViewerRefresh(): void;
  startPolling(): void;
  pollRoom(): Promise<void>;
  stopTimers(): void;
  waitForNetwork(): void;
  chatPause(): void;
  chatResume(): void;
  cohostPause(): void;
  cohostResume(): void;
  guestsPause(): void;
  guestsResume(): void;
}

export const audienceLife = {
  /** Background: every timer waits (requests made there fail and would count as the host's failures); the chat socket closes. */
  onHide(this: AudiencePage) {
    const r = rt(this);
    r.hidden = true;
    if (r.retryTimer !== null && r.owed === 'none') r.owed = 'retry';
    this.stopTimers();
    this.chatPause();
    this.cohostPause();
    this.guestsPause();
  },

  /** Foreground: the chat reconnects (its hello's history is merged by id), the room is read again, owed work done, timers running again, the screen kept on. */
  onShow(this: AudiencePage) {
    const r = rt(this);
    if (!r.hidden) return;
    r.hidden = false;
    this.chatResume();
    this.cohostResume();
    this.guestsResume();
    const owed = r.owed;
    r.owed = 'none';
    if (this.data.playing) keepScreenOn(true);
    if (owed === 'open') return this.open();
    if (this.data.stage === 'offline') {
      this.startPolling();
      this.pollRoom();
    } else if (owed === 'retry') this.fetchAndPlay().catch(() => this.retryLater());
    if (this.data.stage === 'watching') this.refreshRoom();
    if (this.data.stage === 'watching' || this.data.stage === 'offline') this.startViewerRefresh();
    return undefined;
  },

  unlisten(this: AudiencePage) {
    const r = rt(this);
    if (r.network) wx.offNetworkStatusChange(r.network as unknown as WechatMiniprogram.OffNetworkStatusChangeCallback);
    r.network = null;
  },

  onFullScreenChange(this: AudiencePage, e: WechatMiniprogram.CustomEvent<{ fullScreen?: boolean }>) {
    this.setData({ fullScreen: !!e.detail.fullScreen });
  },

  onEnterPip(this: AudiencePage) {
    this.setData({ floating: true });
  },

  onLeavePip(this: AudiencePage) {
    this.setData({ floating: false });
  },

  /** -2301/-2302: is it the viewer's own network? Then wait for it; otherwise retry with backoff. */
  onGaveUp(this: AudiencePage) {
    const r = rt(this);
    r.generation += 1;
    this.setData({ playing: false, buffering: false });
    wx.getNetworkType({
      success: (res) => {
        if (r.gone || this.data.stage === 'ended') return;
        if (res.networkType === 'none') this.waitForNetwork();
        else this.retryLater();
      },
      fail: () => this.retryLater(),
    });
  },

  waitForNetwork(this: AudiencePage) {
    const r = rt(this);
    r.viewerOffline = true;
    if (r.retryTimer !== null) clearTimeout(r.retryTimer);
    r.retryTimer = null;
    this.setData({ viewerOffline: true, reconnecting: false, status: t('audience.viewerOffline'), tone: 'warn' });
  },

  onNetworkChange(this: AudiencePage, connected: boolean) {
    const r = rt(this);
    if (!connected) {
      r.viewerOffline = true;
      this.setData({ viewerOffline: true });
      return;
    }
    if (!r.viewerOffline) return;
    r.viewerOffline = false;
    this.setData({ viewerOffline: false });
    if (r.gone || r.hidden || this.data.stage !== 'watching' || this.data.playing) return;
    // back online: play again now, with the same budget
    this.fetchAndPlay().catch(() => this.retryLater());
  },

  /** Sideways only for a landscape picture: a phone host is portrait and stays upright. */
  onToggleFullScreen(this: AudiencePage) {
    const r = rt(this);
    if (this.data.fullScreen) this.player().exitFullScreen({});
    else this.player().requestFullScreen({ direction: r.videoWidth > r.videoHeight ? 90 : 0 });
  },

  onToggleMute(this: AudiencePage) {
    this.setData({ muted: !this.data.muted });
  },

  onCopyReplay(this: AudiencePage) {
    if (this.data.replay) wx.setClipboardData({ data: this.data.replay });
  },
};

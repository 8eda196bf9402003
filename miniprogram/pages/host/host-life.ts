// The host page's part in a phone's ordinary life: background and foreground (WeChat stops the camera there
// and pusher calls fail), calls and alarms taking the microphone, the network going and coming back.
import { t } from '../../lib/i18n';
import type { HostData } from './host-data';
import { keepScreenOn, rt } from './host-runtime';

interface HostPage {
  data: HostData;
  setData(patch: Partial<HostData>, callback?: () => void): void;
  pusher(): WechatMiniprogram.LivePusherContext;
  restartWithFreshTicket(): Promise<void>;
  clearRetry(): void;
  onInterruptionEnd(): void;
  onNetworkChange(connected: boolean): void;
  chatPause(): void;
  chatResume(): void;
  guestsPause(): void;
  guestsResume(): void;
}

export const hostLife = {
  /** Back from the background: keep-screen-on lapsed; a push that is not live any more starts again. */
  onShow(this: HostPage) {
    const r = rt(this);
    r.hidden = false;
    this.chatResume();
    this.guestsResume();
    if (!this.data.pushing) return;
    keepScreenOn(true);
    if (r.suspended || !this.data.live) {
      this.setData({ status: t('host.resuming'), tone: 'info' });
      this.restartWithFreshTicket();
    }
  },

  /** To the background: viewers see the waiting image; retries would fail there, so they wait for onShow. */
  onHide(this: HostPage) {
    rt(this).hidden = true;
    this.clearRetry();
    this.guestsPause();
    this.chatPause(); // WeChat cuts sockets in the background; onShow opens a new one
  },

  listen(this: HostPage) {
    const r = rt(this);
    if (r.listeners) return;
    r.listeners = {
      begin: () => this.setData({ micInterrupted: true }),
      end: () => this.onInterruptionEnd(),
      network: (res) => this.onNetworkChange(!!res.isConnected),
    };
    wx.onAudioInterruptionBegin(r.listeners.begin);
    wx.onAudioInterruptionEnd(r.listeners.end);
    wx.onNetworkStatusChange(r.listeners.network);
  },

  unlisten(this: HostPage) {
    const r = rt(this);
    if (!r.listeners) return;
    wx.offAudioInterruptionBegin(r.listeners.begin);
    wx.offAudioInterruptionEnd(r.listeners.end);
    wx.offNetworkStatusChange(r.listeners.network as unknown as WechatMiniprogram.OffNetworkStatusChangeCallback);
    r.listeners = null;
  },

  /** The call or alarm is over: a push that stopped meanwhile starts again; a live one resumes its audio. */
  onInterruptionEnd(this: HostPage) {
    this.setData({ micInterrupted: false });
    if (!this.data.pushing) return;
    if (this.data.live) {
      const ctx = this.pusher();
      if (typeof ctx.resume === 'function') ctx.resume({});
    } else this.restartWithFreshTicket();
  },

  onNetworkChange(this: HostPage, connected: boolean) {
    const r = rt(this);
    if (!connected) {
      r.offline = true;
      this.clearRetry(); // the backoff waits: a retry without a network only spends the budget
      this.setData({ offline: true });
      if (this.data.pushing) this.setData({ live: false, reconnecting: true, status: t('host.offline'), tone: 'warn' });
      return;
    }
    const wasOffline = r.offline;
    r.offline = false;
    this.setData({ offline: false });
    // back online: restart now rather than after the rest of a backoff
    if (wasOffline && this.data.pushing && !this.data.live) {
      r.recovery.onLive();
      this.restartWithFreshTicket();
    }
  },
};

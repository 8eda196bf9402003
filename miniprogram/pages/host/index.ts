// Host page: title form → POST /api/rooms → <live-pusher> (camera preview from the start); every statechange
// code through lib/pusher-states; recovery via lib/push-recovery; a phone's ordinary life: background and
// foreground, 5000 (suspended), calls and alarms, the network going and coming back, swipe-back; the room's
// chat, likes and viewers with long-press moderation (host-chat).
import type { PushTicket } from '../../../typings/api';
import { CONFIG } from '../../config';
import { labels, t } from '../../lib/i18n';
import { chatMethods } from '../../lib/chat-page';
import { guestWindowMethods } from '../../lib/guest-windows';
import { checkTitle } from '../../lib/room-title';
import { pageUrl, watchLink } from '../../lib/urls';
import { describeError, isApiError } from '../../services/api-error';
import { api } from '../../services/client';
import { explainRefusal, requestLivePermissions } from '../../services/permissions';
import { hostChat } from './host-chat';
import { hostCohost } from './host-cohost';
import { hostControls } from './host-controls';
import { hostCover } from './host-cover';
import { initialHostData as initial } from './host-data';
import { hostLife } from './host-life';
import { hostPusher } from './host-pusher';
import { keepScreenOn, rt } from './host-runtime';

Component({
  data: initial,

  lifetimes: {
    attached() {
      this.setData({ m: labels('host'), c: labels('chat'), k: labels('cohost') });
      this.listen();
    },
    detached() {
      this.unlisten();
    },
  },

  methods: {
    ...hostControls,
    ...hostCover,
    ...hostLife,
    ...hostPusher,
    ...chatMethods,
    ...hostChat,
    ...hostCohost,
    ...guestWindowMethods,

    onLoad() {
      wx.setNavigationBarTitle({ title: t('host.navTitle') });
    },

    /**
     * Leaving (swipe-back is not held by enableAlertBeforeUnload): the camera stops, the room stays live for
     * the server's reconnect grace and then ends there. Only End ends it at once.
     */
    onUnload() {
      const r = rt(this);
      this.clearRetry();
      this.unlisten();
      this.guestsStop();
      this.chatStop();
      if (r.weakTimer !== null) clearTimeout(r.weakTimer);
      if (r.ctx) {
        if (this.data.pushing) r.ctx.stop({});
        else if (typeof r.ctx.stopPreview === 'function') r.ctx.stopPreview({});
      }
      keepScreenOn(false);
    },

    onShareAppMessage() {
      return { title: this.data.roomTitle || t('host.shareTitle'), path: pageUrl('audience', { id: this.data.roomId }) };
    },

    // ---- title form ----

    onTitleInput(e: WechatMiniprogram.Input) {
      this.setData({ title: e.detail.value, formError: '' });
    },

    async onCreate(): Promise<void> {
      if (this.data.creating) return; // the keyboard's "go" and the button can both fire
      const checked = checkTitle(this.data.title);
      if (!checked.ok) {
        this.setData({ formError: checked.error });
        return;
      }
      this.setData({ creating: true, formError: '' });
      try {
        const { room, push } = await api().createRoom({ title: checked.title });
        this.applyTicket(push);
        // the pusher mounts with this setData: open the camera so the host can frame the shot first
        this.setData({
          stage: 'ready', creating: false, roomId: room.id, roomTitle: room.title, cover: room.cover ?? '',
          watchLink: watchLink(CONFIG.apiBase, room.id), status: t('host.ready'), tone: 'info',
        }, () => this.preview());
        this.chatStart();
        wx.enableAlertBeforeUnload({ message: t('host.leaveConfirm') });
      } catch (e) {
        this.setData({ creating: false, formError: describeError(e) });
      }
    },

    applyTicket(push: PushTicket, then?: () => void) {
      this.setData({ pushUrl: push.url, obsServer: push.server, streamKey: push.streamKey }, then);
    },

    pusher(): WechatMiniprogram.LivePusherContext {
      const r = rt(this);
      if (!r.ctx) r.ctx = wx.createLivePusherContext();
      return r.ctx;
    },

    /** Camera on without pushing (start()/stop() also open and close it). */
    preview() {
      const ctx = this.pusher();
      if (typeof ctx.startPreview === 'function') ctx.startPreview({});
      if (this.data.maxZoom === 0) this.readMaxZoom();
    },

    // ---- start / stop / end ----

    async onStart(): Promise<void> {
      if (this.data.pushing || this.data.stage !== 'ready') return;
      const refused = await requestLivePermissions();
      if (refused) {
        this.setData({ permissionHint: explainRefusal(refused), status: t('host.permissionNeeded'), tone: 'error' });
        return;
      }
      const r = rt(this);
      r.recovery.reset();
      r.suspended = false;
      this.setData({ pushing: true, failure: '', permissionHint: '', event: '', status: t('host.connecting'), tone: 'info' },
        () => this.pusher().start({ fail: (err) => this.fail(t('host.couldNotStart', { err: err.errMsg })) }));
      keepScreenOn(true);
    },

    onStop() {
      this.clearRetry();
      rt(this).suspended = false;
      // stop() closes the camera too: open the preview again once it is done
      if (this.data.pushing) this.pusher().stop({ success: () => this.preview(), fail: () => this.preview() });
      this.setData({
        pushing: false, live: false, reconnecting: false, weakNetwork: false, status: t('host.stopped'), tone: 'info', netLine: '', event: '',
      });
      keepScreenOn(false);
    },

    onOpenSettings() {
      wx.openSetting({});
    },

    onEnd() {
      wx.showModal({
        title: t('host.endTitle'),
        content: t('host.endContent'),
        confirmText: t('host.endConfirm'),
        success: (res) => { if (res.confirm) this.endRoom(); },
      });
    },

    async endRoom(): Promise<void> {
      if (this.data.ending || this.data.stage === 'ended') return;
      this.onStop();
      this.setData({ ending: true });
      try {
        await api().endRoom(this.data.roomId);
        wx.disableAlertBeforeUnload({});
        this.guestsStop();
        this.chatStop();
        this.setData({ stage: 'ended', ending: false, status: t('host.ended'), tone: 'info' });
      } catch (e) {
        this.setData({ ending: false, status: describeError(e), tone: 'error' });
      }
    },

    // ---- recovery ----

    /** -1307 (or a failed restart): wait per the backoff, then restart with a fresh URL; give up at the limit. */
    retryLater() {
      const r = rt(this);
      this.clearRetry();
      if (r.offline) {
        this.setData({ live: false, reconnecting: true, status: t('host.offline'), tone: 'warn' });
        return; // the network coming back restarts
      }
      if (r.hidden) return; // onShow restarts
      const step = r.recovery.onNetworkExhausted();
      if (step.kind === 'give-up') {
        this.fail(step.reason);
        return;
      }
      this.setData({
        live: false, reconnecting: true, tone: 'error',
        status: t('host.retrying', { s: Math.ceil(step.delayMs / 1000), n: step.attempt, max: step.maxTries }),
      });
      r.retryTimer = setTimeout(() => {
        r.retryTimer = null;
        this.restartWithFreshTicket();
      }, step.delayMs);
    },

    async restartWithFreshTicket(): Promise<void> {
      const r = rt(this);
      if (!this.data.pushing || !this.data.roomId || r.restarting || r.hidden || r.offline) return;
      r.restarting = true;
      try {
        const push = await api().pushTicket(this.data.roomId);
        if (!this.data.pushing) return; // stopped while we waited
        // start only once live-pusher has the new url (setData callback), and only after stop() is done
        this.applyTicket(push, () => {
          const ctx = this.pusher();
          const start = () => {
            r.suspended = false;
            ctx.start({ fail: () => this.retryLater() });
          };
          ctx.stop({ success: start, fail: start });
        });
      } catch (e) {
        if (isApiError(e, 'room_ended') || isApiError(e, 'not_room_host')) this.fail(describeError(e));
        else this.retryLater();
      } finally {
        r.restarting = false;
      }
    },

    clearRetry() {
      const r = rt(this);
      if (r.retryTimer !== null) clearTimeout(r.retryTimer);
      r.retryTimer = null;
    },

    /** Stops pushing and says why; the host can tap Start again. */
    fail(message: string) {
      this.clearRetry();
      rt(this).suspended = false;
      if (this.data.pushing) this.pusher().stop({});
      this.setData({ pushing: false, live: false, reconnecting: false, failure: message, status: message, tone: 'error' });
      keepScreenOn(false);
    },
  },
});

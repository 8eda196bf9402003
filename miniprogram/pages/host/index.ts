// Host page: title form → POST /api/rooms → <live-pusher>; beauty/whiteness/mode/camera/mic/torch/mirror
// controls; every statechange code handled through lib/pusher-states; recovery via lib/push-recovery.
import type { PushTicket } from '../../../typings/api';
import { CONFIG } from '../../config';
import { labels, t } from '../../lib/i18n';
import { netStatusLine, readNetStatus } from '../../lib/net-status';
import { PushRecovery } from '../../lib/push-recovery';
import { PUSHER_PERMISSION_ERRORS, pusherState } from '../../lib/pusher-states';
import { checkTitle } from '../../lib/room-title';
import { pageUrl, watchLink } from '../../lib/urls';
import { describeError, isApiError } from '../../services/api-error';
import { api } from '../../services/client';
import { explainRefusal, requestLivePermissions } from '../../services/permissions';
import { initialHostData as initial, type PushMode } from './host-data';

interface Runtime {
  recovery: PushRecovery;
  ctx: WechatMiniprogram.LivePusherContext | null;
  retryTimer: ReturnType<typeof setTimeout> | null;
  /** hides the weak-network banner once 1101 stops coming */
  weakTimer: ReturnType<typeof setTimeout> | null;
}

const runtimes = new WeakMap<object, Runtime>();
function rt(self: object): Runtime {
  let r = runtimes.get(self);
  if (!r) {
    r = { recovery: new PushRecovery(CONFIG.pushRetry), ctx: null, retryTimer: null, weakTimer: null };
    runtimes.set(self, r);
  }
  return r;
}

// a refusal here only costs a dimming screen: never worth an unhandled rejection
const keepScreenOn = (on: boolean) => wx.setKeepScreenOn({ keepScreenOn: on, fail: () => undefined });

Component({
  data: initial,

  lifetimes: {
    attached() {
      this.setData({ m: labels('host') });
    },
  },

  methods: {
    onLoad() {
      wx.setNavigationBarTitle({ title: t('host.navTitle') });
    },

    onUnload() {
      const r = rt(this);
      this.clearRetry();
      if (r.weakTimer !== null) clearTimeout(r.weakTimer);
      if (r.ctx && this.data.pushing) r.ctx.stop();
      keepScreenOn(false);
      // the host confirmed leaving (enableAlertBeforeUnload), so the room ends with the page
      if (this.data.roomId && this.data.stage !== 'ended') {
        api().endRoom(this.data.roomId).catch(() => { /* best effort: a live room without its publisher ends after the server's grace */ });
      }
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
        this.setData({
          stage: 'ready', creating: false, roomId: room.id, roomTitle: room.title,
          watchLink: watchLink(CONFIG.apiBase, room.id), status: t('host.ready'), tone: 'info',
        });
        wx.enableAlertBeforeUnload({ message: t('host.leaveConfirm') });
      } catch (e) {
        this.setData({ creating: false, formError: describeError(e) });
      }
    },

    applyTicket(push: PushTicket) {
      this.setData({ pushUrl: push.url, obsServer: push.server, streamKey: push.streamKey });
    },

    pusher(): WechatMiniprogram.LivePusherContext {
      const r = rt(this);
      if (!r.ctx) r.ctx = wx.createLivePusherContext();
      return r.ctx;
    },

    // ---- start / stop / end ----

    async onStart(): Promise<void> {
      if (this.data.pushing || this.data.stage !== 'ready') return;
      const refused = await requestLivePermissions();
      if (refused) {
        this.setData({ permissionHint: explainRefusal(refused), status: t('host.permissionNeeded'), tone: 'error' });
        return;
      }
      rt(this).recovery.reset();
      this.setData({ pushing: true, failure: '', permissionHint: '', status: t('host.connecting'), tone: 'info' });
      this.pusher().start({ fail: (err) => this.fail(t('host.couldNotStart', { err: err.errMsg })) });
      keepScreenOn(true);
    },

    onStop() {
      this.clearRetry();
      if (this.data.pushing) this.pusher().stop();
      this.setData({ pushing: false, live: false, reconnecting: false, weakNetwork: false, status: t('host.stopped'), tone: 'info', netLine: '' });
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
        this.setData({ stage: 'ended', ending: false, status: t('host.ended'), tone: 'info' });
      } catch (e) {
        this.setData({ ending: false, status: describeError(e), tone: 'error' });
      }
    },

    // ---- live-pusher events ----

    onPusherState(e: WechatMiniprogram.CustomEvent<{ code?: number | string }>) {
      const code = Number(e.detail.code);
      const row = pusherState(code);
      const r = rt(this);
      this.setData({ status: row.status, tone: row.tone });
      switch (row.action) {
        case 'live':
          r.recovery.onLive();
          this.setData({ live: true, weakNetwork: false, reconnecting: false, failure: '' });
          break;
        case 'weak-network':
          this.setData({ weakNetwork: true });
          if (r.weakTimer !== null) clearTimeout(r.weakTimer);
          r.weakTimer = setTimeout(() => {
            r.weakTimer = null;
            this.setData({ weakNetwork: false });
          }, CONFIG.weakBannerMs);
          break;
        case 'reconnecting':
          this.setData({ reconnecting: true, live: false });
          break;
        case 'refresh-push':
          this.retryLater();
          break;
        case 'resign': {
          const step = r.recovery.onServerClosed(Date.now());
          if (step.kind === 'give-up') this.fail(step.reason);
          else {
            this.clearRetry(); // a pending -1307 retry would restart a second time
            this.setData({ status: t('host.resigning'), live: false });
            this.restartWithFreshTicket();
          }
          break;
        }
        case 'device-error':
          this.fail(t('host.deviceHint', { status: row.status }));
          break;
        case 'fatal':
          this.fail(row.status);
          break;
        case 'none':
          break;
      }
    },

    onPusherError(e: WechatMiniprogram.CustomEvent<{ errCode?: number; errMsg?: string }>) {
      const denied = PUSHER_PERMISSION_ERRORS[Number(e.detail.errCode)];
      if (denied) {
        this.fail(t(denied.key));
        this.setData({ permissionHint: explainRefusal(denied.scope) });
      } else {
        this.setData({ status: e.detail.errMsg || t('host.pusherError', { code: String(e.detail.errCode) }), tone: 'error' });
      }
    },

    onNetStatus(e: WechatMiniprogram.CustomEvent<WechatMiniprogram.IAnyObject>) {
      this.setData({ netLine: netStatusLine(readNetStatus(e.detail)) });
    },

    // ---- recovery ----

    /** -1307 (or a failed restart): wait per the backoff, then restart with a fresh URL; give up at the limit. */
    retryLater() {
      const step = rt(this).recovery.onNetworkExhausted();
      if (step.kind === 'give-up') {
        this.fail(step.reason);
        return;
      }
      this.setData({
        live: false, reconnecting: true, tone: 'error',
        status: t('host.retrying', { s: Math.ceil(step.delayMs / 1000), n: step.attempt, max: step.maxTries }),
      });
      this.clearRetry();
      rt(this).retryTimer = setTimeout(() => {
        rt(this).retryTimer = null;
        this.restartWithFreshTicket();
      }, step.delayMs);
    },

    async restartWithFreshTicket(): Promise<void> {
      if (!this.data.pushing || !this.data.roomId) return;
      try {
        const push = await api().pushTicket(this.data.roomId);
        if (!this.data.pushing) return; // stopped while we waited
        this.applyTicket(push);
        const ctx = this.pusher();
        ctx.stop();
        ctx.start({ fail: () => this.retryLater() });
      } catch (e) {
        if (isApiError(e, 'room_ended') || isApiError(e, 'not_room_host')) this.fail(describeError(e));
        else this.retryLater();
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
      if (this.data.pushing) this.pusher().stop();
      this.setData({ pushing: false, live: false, reconnecting: false, failure: message, status: message, tone: 'error' });
      keepScreenOn(false);
    },

    // ---- controls ----

    onBeauty(e: WechatMiniprogram.SliderChange) {
      this.setData({ beauty: e.detail.value });
    },

    onWhiteness(e: WechatMiniprogram.SliderChange) {
      this.setData({ whiteness: e.detail.value });
    },

    onMode(e: WechatMiniprogram.BaseEvent<{}, { mode?: PushMode }>) {
      const mode = e.currentTarget.dataset.mode;
      if (mode) this.setData({ mode });
    },

    onSwitchCamera() {
      this.pusher().switchCamera({});
      // the torch only exists on the back camera and goes off when switching
      this.setData({ front: !this.data.front, torch: false });
    },

    onToggleTorch() {
      if (this.data.front) {
        wx.showToast({ title: t('host.torchNeedsBack'), icon: 'none' });
        return;
      }
      this.pusher().toggleTorch({});
      this.setData({ torch: !this.data.torch });
    },

    onToggleMute() {
      this.setData({ muted: !this.data.muted });
    },

    onToggleMirror() {
      this.setData({ mirror: !this.data.mirror });
    },

    onCopy(e: WechatMiniprogram.BaseEvent<{}, { value?: string }>) {
      const value = e.currentTarget.dataset.value;
      if (value) wx.setClipboardData({ data: value });
    },
  },
});

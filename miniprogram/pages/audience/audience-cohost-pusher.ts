// The audience page's own co-host pusher (<live-pusher mode="RTC">, audience-cohost): every statechange code
// through lib/pusher-states as on the host's main pusher, recovery through lib/push-recovery (-1307 backoff with
// a fresh ticket, 3004 re-sign once, 5000 until onShow), permission refusals, and the page's background life.
import { chatRt } from '../../lib/chat-page';
import { t } from '../../lib/i18n';
import { PUSHER_PERMISSION_ERRORS, pusherState } from '../../lib/pusher-states';
import { isApiError } from '../../services/api-error';
import { api } from '../../services/client';
import { COHOST_HINTS, crt, type CohostPage } from './audience-cohost';

export const audienceCohostPusher = {
  guestPusher(this: CohostPage): WechatMiniprogram.LivePusherContext {
    const r = crt(this);
    if (!r.ctx) r.ctx = wx.createLivePusherContext();
    return r.ctx;
  },

  onGuestPusherState(this: CohostPage, e: WechatMiniprogram.CustomEvent<{ code?: number | string }>) {
    if (this.data.cohost !== 'on') return;
    const r = crt(this);
    const row = pusherState(Number(e.detail.code));
    if (row.main || row.action === 'weak-network') this.setData({ cohostStatus: row.status, cohostTone: row.tone });
    switch (row.action) {
      case 'live':
        r.recovery.onLive();
        r.suspended = false;
        this.setData({ cohostLive: true, cohostStatus: t('cohost.onAir'), cohostTone: 'ok' });
        break;
      case 'reconnecting':
        this.setData({ cohostLive: false });
        break;
      case 'refresh-push':
        this.retryGuestPush();
        break;
      case 'resign': {
        const step = r.recovery.onServerClosed(Date.now());
        if (step.kind === 'give-up') {
          chatRt(this).chat?.leaveCohost();
          this.endCohost(t('cohost.refused'));
        } else this.restartGuestPush();
        break;
      }
      case 'suspended':
        // nothing is sent until we start again: onShow does
        r.suspended = true;
        this.guestPusher().stop({});
        this.setData({ cohostLive: false });
        break;
      case 'device-error':
      case 'fatal':
        chatRt(this).chat?.leaveCohost();
        this.endCohost(t('cohost.failed', { reason: row.status }), row.status);
        break;
      case 'weak-network':
      case 'none':
        break;
    }
  },

  onGuestPusherError(this: CohostPage, e: WechatMiniprogram.CustomEvent<{ errCode?: number; errMsg?: string }>) {
    const denied = PUSHER_PERMISSION_ERRORS[Number(e.detail.errCode)];
    if (!denied) {
      this.setData({ cohostStatus: e.detail.errMsg || t('pusher.unknown', { code: String(e.detail.errCode) }), cohostTone: 'error' });
      return;
    }
    chatRt(this).chat?.leaveCohost();
    this.endCohost(t(denied.key));
    this.setData({ cohostHint: t(COHOST_HINTS[denied.scope]) });
  },

  /** -1307 (or a failed start): a fresh ticket after the backoff; out of tries → leave the line-up. */
  retryGuestPush(this: CohostPage) {
    const r = crt(this);
    if (r.retryTimer !== null) clearTimeout(r.retryTimer);
    r.retryTimer = null;
    if (r.hidden || this.data.cohost !== 'on') return;
    const step = r.recovery.onNetworkExhausted();
    if (step.kind === 'give-up') {
      chatRt(this).chat?.leaveCohost();
      this.endCohost(t('cohost.gaveUp'));
      return;
    }
    this.setData({ cohostLive: false, cohostStatus: t('cohost.guestRetrying'), cohostTone: 'warn' });
    r.retryTimer = setTimeout(() => {
      r.retryTimer = null;
      this.restartGuestPush();
    }, step.delayMs);
  },

  async restartGuestPush(this: CohostPage): Promise<void> {
    const r = crt(this);
    if (this.data.cohost !== 'on' || r.restarting || r.hidden) return;
    r.restarting = true;
    try {
      const { push } = await api().cohostPush(this.data.roomId);
      if (this.data.cohost !== 'on') return;
      this.setData({ cohostPush: push.url }, () => {
        const ctx = this.guestPusher();
        const start = () => { r.suspended = false; ctx.start({ fail: () => this.retryGuestPush() }); };
        ctx.stop({ success: start, fail: start });
      });
    } catch (e) {
      if (isApiError(e, 'not_cohost') || isApiError(e, 'room_ended')) this.endCohost(t('cohost.removed'));
      else this.retryGuestPush();
    } finally {
      r.restarting = false;
    }
  },

  /** Background: WeChat stops the camera; retries wait for onShow. */
  cohostPause(this: CohostPage) {
    const r = crt(this);
    r.hidden = true;
    if (r.retryTimer !== null) clearTimeout(r.retryTimer);
    r.retryTimer = null;
  },

  /** Foreground: an on-air push that is not live any more (5000, a lost link) starts again with a fresh ticket. */
  cohostResume(this: CohostPage) {
    const r = crt(this);
    if (!r.hidden) return;
    r.hidden = false;
    if (this.data.cohost === 'on' && (r.suspended || !this.data.cohostLive)) this.restartGuestPush();
  },
};

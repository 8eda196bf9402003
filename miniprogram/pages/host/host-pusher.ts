// The host page's live-pusher events: every statechange code through lib/pusher-states (live, weak network,
// reconnecting, a fresh ticket, suspended, device errors), permission refusals, and the net status line.
import { CONFIG } from '../../config';
import { t } from '../../lib/i18n';
import { netStatusLine, readNetStatus } from '../../lib/net-status';
import { PUSHER_PERMISSION_ERRORS, pusherState } from '../../lib/pusher-states';
import { explainRefusal } from '../../services/permissions';
import type { HostData } from './host-data';
import { rt } from './host-runtime';

interface HostPusherPage {
  data: HostData;
  setData(patch: Partial<HostData>): void;
  pusher(): WechatMiniprogram.LivePusherContext;
  retryLater(): void;
  clearRetry(): void;
  restartWithFreshTicket(): Promise<void>;
  fail(message: string): void;
}

export const hostPusher = {
  onPusherState(this: HostPusherPage, e: WechatMiniprogram.CustomEvent<{ code?: number | string }>) {
    const row = pusherState(Number(e.detail.code));
    const r = rt(this);
    // news the SDK copes with by itself never overwrites "Live"
    if (row.main) this.setData({ status: row.status, tone: row.tone });
    else this.setData({ event: row.status, eventTone: row.tone });
    switch (row.action) {
      case 'live':
        r.recovery.onLive();
        r.suspended = false;
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
      case 'suspended':
        // terminal for this start (Tencent's demo treats it so): nothing is sent; onShow starts again
        r.suspended = true;
        this.clearRetry();
        this.pusher().stop({});
        this.setData({ live: false, reconnecting: false, failure: t('host.suspended') });
        break;
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

  onPusherError(this: HostPusherPage, e: WechatMiniprogram.CustomEvent<{ errCode?: number; errMsg?: string }>) {
    const denied = PUSHER_PERMISSION_ERRORS[Number(e.detail.errCode)];
    if (denied) {
      this.fail(t(denied.key));
      this.setData({ permissionHint: explainRefusal(denied.scope) });
    } else {
      this.setData({ status: e.detail.errMsg || t('host.pusherError', { code: String(e.detail.errCode) }), tone: 'error' });
    }
  },

  onNetStatus(this: HostPusherPage, e: WechatMiniprogram.CustomEvent<WechatMiniprogram.IAnyObject>) {
    this.setData({ netLine: netStatusLine(readNetStatus(e.detail)) });
  },
};

// The host page's state that is not view data: the pusher context, timers, the retry budget, and what the
// phone's ordinary life (background, suspension, network) left pending. One per page instance.
import { CONFIG } from '../../config';
import { PushRecovery } from '../../lib/push-recovery';

export type NetworkListener = WechatMiniprogram.OnNetworkStatusChangeCallback;

export interface Runtime {
  recovery: PushRecovery;
  ctx: WechatMiniprogram.LivePusherContext | null;
  retryTimer: ReturnType<typeof setTimeout> | null;
  /** hides the weak-network banner once 1101 stops coming */
  weakTimer: ReturnType<typeof setTimeout> | null;
  /** in the background: pusher calls fail there (runningState=background), so restarts wait for onShow */
  hidden: boolean;
  /** a 5000 arrived since the last start: nothing is sent until we start again */
  suspended: boolean;
  /** a ticket fetch + restart is under way: a second trigger (onShow, network back) must not double it */
  restarting: boolean;
  offline: boolean;
  listeners: { begin: () => void; end: () => void; network: NetworkListener } | null;
}

const runtimes = new WeakMap<object, Runtime>();
export function rt(self: object): Runtime {
  let r = runtimes.get(self);
  if (!r) {
    r = {
      recovery: new PushRecovery(CONFIG.pushRetry), ctx: null, retryTimer: null, weakTimer: null,
      hidden: false, suspended: false, restarting: false, offline: false, listeners: null,
    };
    runtimes.set(self, r);
  }
  return r;
}

// a refusal here only costs a dimming screen: never worth an unhandled rejection
export const keepScreenOn = (on: boolean) => wx.setKeepScreenOn({ keepScreenOn: on, fail: () => undefined });

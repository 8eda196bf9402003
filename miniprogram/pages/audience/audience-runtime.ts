// The audience page's state that is not view data: the player context, timers, the retry budget, and
// what the phone's ordinary life left pending. One per page instance.
import { CONFIG } from '../../config';
import { PlayRecovery } from '../../lib/play-recovery';

type Timer = ReturnType<typeof setTimeout>;
export type NetworkListener = WechatMiniprogram.OnNetworkStatusChangeCallback;

export interface Runtime {
  recovery: PlayRecovery;
  ctx: WechatMiniprogram.LivePlayerContext | null;
  retryTimer: Timer | null;
  viewersTimer: ReturnType<typeof setInterval> | null;
  pollTimer: ReturnType<typeof setInterval> | null;
  /** clears the buffering indicator a 2105 set (no 2004 is promised after it) */
  stutterTimer: Timer | null;
  /** bumps whenever the page changes course (retry, offline, ended): a play fetch from before is dropped */
  generation: number;
  gone: boolean;
  /** in the background: requests fail there ("interrupted"), so nothing that fails then counts */
  hidden: boolean;
  /** a retry or the first load was due while hidden: onShow does it */
  owed: 'none' | 'retry' | 'open';
  /** the viewer's phone has no network: waiting for it, not spending retries */
  viewerOffline: boolean;
  /** the video's size from netstatus, for the full-screen direction */
  videoWidth: number;
  videoHeight: number;
  network: NetworkListener | null;
}

const runtimes = new WeakMap<object, Runtime>();
export function rt(self: object): Runtime {
  let r = runtimes.get(self);
  if (!r) {
    r = {
      recovery: new PlayRecovery(CONFIG.playRetry), ctx: null, retryTimer: null, viewersTimer: null, pollTimer: null,
      stutterTimer: null, generation: 0, gone: false, hidden: false, owed: 'none', viewerOffline: false,
      videoWidth: 0, videoHeight: 0, network: null,
    };
    runtimes.set(self, r);
  }
  return r;
}

export const keepScreenOn = (on: boolean) => wx.setKeepScreenOn({ keepScreenOn: on, fail: () => undefined });

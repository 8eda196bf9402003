// The one place the API base URL, timeouts and retry policies are set. Production needs an https base
// whose domain is in the mini-program's "request legal domains" (see README, "Mini-program").
import { CHAT_RETRY, PLAY_RETRY, PUSH_RETRY, type BackoffPolicy } from './lib/backoff';

export interface AppConfig {
  /** wxlive server (design.md §1: HTTP on 8080). In DevTools, tick "do not verify legal domains" for http. */
  apiBase: string;
  requestTimeoutMs: number;
  loginTimeoutMs: number;
  /** how often the audience page refreshes the viewer count */
  viewerRefreshMs: number;
  /** how often the audience page checks the room of an offline host */
  offlinePollMs: number;
  /** 1101 repeats while the uplink is too slow; the banner hides this long after the last one */
  weakBannerMs: number;
  /** a 2105 stutter shows the buffering indicator this long at most (frames counted by netstatus end it sooner) */
  stutterClearMs: number;
  /** restarts of the pusher after -1307 */
  pushRetry: BackoffPolicy;
  /** re-fetches of play URLs after -2301 before "host is offline" */
  playRetry: BackoffPolicy;
  /** reconnects of the room's chat socket after a drop (a hello resets the budget) */
  chatRetry: BackoffPolicy;
  /** like taps are sent as one `like` frame per window at most */
  likeWindowMs: number;
  /** chat lines kept on screen */
  chatMaxLines: number;
  /** how long a chat notice (muted, slow mode…) stays */
  chatNoticeMs: number;
  /** how long a floating heart floats */
  heartMs: number;
  /**
   * a co-host request nobody answered: the server drops it after COHOST_REQUEST_TTL_S (typings/cohost.ts, 120 s;
   * the audience co-host test checks they agree), and the viewer is told then (a decline sends no frame)
   */
  cohostWaitMs: number;
}

export const CONFIG: AppConfig = {
  apiBase: 'http://localhost:8080',
  requestTimeoutMs: 10000,
  loginTimeoutMs: 10000,
  viewerRefreshMs: 15000,
  offlinePollMs: 10000,
  weakBannerMs: 10000,
  stutterClearMs: 3000,
  pushRetry: PUSH_RETRY,
  playRetry: PLAY_RETRY,
  chatRetry: CHAT_RETRY,
  likeWindowMs: 250,
  chatMaxLines: 100,
  chatNoticeMs: 4000,
  heartMs: 1200,
  cohostWaitMs: 120_000,
};

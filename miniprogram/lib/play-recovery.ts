// When playback fails, what next: re-fetch play URLs and retry (FLV, then RTMP), or call the host offline.
import type { PlayUrls } from '../../typings/api';
import { PLAY_RETRY, RetryBudget, type BackoffPolicy } from './backoff';
import { chooseSource, type PlayKind } from './urls';

export type PlayRecoveryStep =
  | { kind: 'retry'; delayMs: number; attempt: number; maxTries: number }
  | { kind: 'offline' };

export class PlayRecovery {
  private readonly budget: RetryBudget;
  private flvFailures = 0;
  private current: PlayKind = 'flv';

  constructor(
    policy: BackoffPolicy = PLAY_RETRY,
    random: () => number = Math.random,
    /** FLV failures before trying RTMP */
    private readonly fallbackAfter = 2,
  ) {
    this.budget = new RetryBudget(policy, random);
  }

  /** Which URL to give live-player now. */
  source(play: PlayUrls): { kind: PlayKind; src: string } {
    const chosen = chooseSource(play, this.flvFailures, this.fallbackAfter);
    this.current = chosen.kind;
    return chosen;
  }

  /** -2301/-2302: the player gave up. */
  onFailure(): PlayRecoveryStep {
    if (this.current === 'flv') this.flvFailures += 1;
    const delayMs = this.budget.next();
    if (delayMs === null) return { kind: 'offline' };
    return { kind: 'retry', delayMs, attempt: this.budget.attempts, maxTries: this.budget.maxTries };
  }

  /** 2004: playing — later failures start from the first delay (the source that works is kept). */
  onPlaying(): void {
    this.budget.reset();
  }

  /** The host came back after "offline": start over with FLV. */
  reset(): void {
    this.budget.reset();
    this.flvFailures = 0;
    this.current = 'flv';
  }

  get kind(): PlayKind { return this.current; }
}

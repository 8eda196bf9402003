// Retry policy: exponential backoff with a cap, bounded tries, and injectable jitter.

export interface BackoffPolicy {
  /** delay before the first retry */
  baseMs: number;
  /** growth per retry */
  factor: number;
  /** no single wait is longer than this */
  maxMs: number;
  /** retries allowed before giving up */
  maxTries: number;
  /** 0..1: share of each delay that is randomised, so many clients do not retry in lockstep */
  jitter: number;
}

export const PUSH_RETRY: BackoffPolicy = { baseMs: 1000, factor: 2, maxMs: 8000, maxTries: 4, jitter: 0.2 };
export const PLAY_RETRY: BackoffPolicy = { baseMs: 1000, factor: 2, maxMs: 8000, maxTries: 4, jitter: 0.2 };
/** chat sockets of a whole audience come back after a server restart: wider jitter, more tries */
export const CHAT_RETRY: BackoffPolicy = { baseMs: 1000, factor: 2, maxMs: 15000, maxTries: 8, jitter: 0.5 };

/** Delay before retry number `attempt` (1-based). `random` returns 0..1 (Math.random in the app). */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const n = Math.max(1, Math.floor(attempt));
  const raw = Math.min(policy.maxMs, policy.baseMs * Math.pow(policy.factor, n - 1));
  // jitter only shortens the wait, so maxMs stays a real upper bound
  const cut = raw * policy.jitter * Math.min(1, Math.max(0, random()));
  return Math.round(raw - cut);
}

/** Counts retries of one failing operation; `next()` says how long to wait, or null when out of tries. */
export class RetryBudget {
  private used = 0;

  constructor(private readonly policy: BackoffPolicy, private readonly random: () => number = Math.random) {}

  /** the next wait in ms, or null when every try is spent */
  next(): number | null {
    if (this.used >= this.policy.maxTries) return null;
    this.used += 1;
    return backoffDelay(this.used, this.policy, this.random);
  }

  get attempts(): number { return this.used; }
  get exhausted(): boolean { return this.used >= this.policy.maxTries; }
  get maxTries(): number { return this.policy.maxTries; }

  /** success: the next failure starts from the first delay again */
  reset(): void { this.used = 0; }
}

// When the pusher fails, what next: restart with a fresh URL after a backoff, re-sign once, or give up.
import { PUSH_RETRY, RetryBudget, type BackoffPolicy } from './backoff';
import { t } from './i18n';

export type GiveUp = { kind: 'give-up'; reason: string };
export type RetryStep = { kind: 'retry'; delayMs: number; attempt: number; maxTries: number } | GiveUp;
export type ResignStep = { kind: 'resign' } | GiveUp;

/** A second 3004 this soon after a re-sign means re-signing does not help (the room ended, a ban…). */
export const RESIGN_WINDOW_MS = 60000;

export class PushRecovery {
  private readonly budget: RetryBudget;
  private resignedAt: number | null = null;

  constructor(policy: BackoffPolicy = PUSH_RETRY, random: () => number = Math.random) {
    this.budget = new RetryBudget(policy, random);
  }

  /** -1307: the SDK's own reconnects are exhausted. */
  onNetworkExhausted(): RetryStep {
    const delayMs = this.budget.next();
    if (delayMs === null) {
      return { kind: 'give-up', reason: t('host.giveUp', { max: this.budget.maxTries }) };
    }
    return { kind: 'retry', delayMs, attempt: this.budget.attempts, maxTries: this.budget.maxTries };
  }

  /** 3004: the server closed the connection; usually an expired signature, so sign again — once. */
  onServerClosed(now: number): ResignStep {
    if (this.resignedAt !== null && now - this.resignedAt < RESIGN_WINDOW_MS) {
      return { kind: 'give-up', reason: t('host.refused') };
    }
    this.resignedAt = now;
    return { kind: 'resign' };
  }

  /** 1002: publishing again — later failures start from the first delay. */
  onLive(): void {
    this.budget.reset();
  }

  /** The host pressed Start: everything starts over. */
  reset(): void {
    this.budget.reset();
    this.resignedAt = null;
  }

  get attempts(): number { return this.budget.attempts; }
}

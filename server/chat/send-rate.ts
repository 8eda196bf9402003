// Messages per user per room: a token bucket (rate per second, burst). Buckets that have refilled are
// forgotten, so a flood of users holds at most a few seconds of keys.

export interface SendRate {
  perSecond: number;
  burst: number;
}

interface Bucket { tokens: number; at: number }

/** buckets are swept for full ones every this many takes */
const SWEEP_EVERY = 1000;

export class SendRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private takes = 0;

  constructor(private readonly rate: SendRate, private readonly now: () => number = Date.now) {}

  /** Takes one token of `key`: 0 when allowed, else the milliseconds until one is available. */
  take(key: string): number {
    const now = this.now();
    if (++this.takes % SWEEP_EVERY === 0) this.sweep(now);
    const b = this.refill(this.buckets.get(key) ?? { tokens: this.rate.burst, at: now }, now);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      this.buckets.set(key, b);
      return 0;
    }
    this.buckets.set(key, b);
    return Math.ceil(((1 - b.tokens) / this.rate.perSecond) * 1000);
  }

  /** keys held (memory) */
  get size(): number {
    return this.buckets.size;
  }

  private refill(b: Bucket, now: number): Bucket {
    return { tokens: Math.min(this.rate.burst, b.tokens + ((now - b.at) / 1000) * this.rate.perSecond), at: now };
  }

  private sweep(now: number): void {
    for (const [key, b] of this.buckets) if (this.refill(b, now).tokens >= this.rate.burst) this.buckets.delete(key);
  }
}

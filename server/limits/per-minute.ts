// Attempts per key per minute (rate-limiter-flexible in memory): a key is forgotten once its minute is
// over, so a flood of addresses or users holds at most one minute of keys.
import type * as Flexible from 'rate-limiter-flexible';

// Only the in-memory limiter: the package's index loads every store backend (Redis, Mongo, SQL, …), ~9 MB of RSS
// that an idle server would carry for nothing.
/* eslint-disable @typescript-eslint/no-require-imports */
const RateLimiterMemory: typeof Flexible.RateLimiterMemory = require('rate-limiter-flexible/lib/RateLimiterMemory');
const RateLimiterRes: typeof Flexible.RateLimiterRes = require('rate-limiter-flexible/lib/RateLimiterRes');
/* eslint-enable @typescript-eslint/no-require-imports */
import { RateLimited } from '../errors';

export interface PerMinuteRefusal {
  /** the error code the client sees, also the reason counted in wxlive_limit_refusals_total */
  code: string;
  /** what the client is told; `{s}` becomes the seconds to wait */
  message: string;
}

export class PerMinute {
  private readonly limiter: Flexible.RateLimiterMemory;

  constructor(readonly points: number, private readonly refusal: PerMinuteRefusal,
    private readonly onRefuse: (code: string, key: string) => void = () => {}) {
    this.limiter = new RateLimiterMemory({ points, duration: 60 });
  }

  /** Counts one attempt of `key`; throws RateLimited (429 + Retry-After) once the key is over its points. */
  async take(key: string): Promise<void> {
    try {
      await this.limiter.consume(key);
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) throw res;
      const retryAfterS = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
      this.onRefuse(this.refusal.code, key);
      throw new RateLimited(this.refusal.message.replace('{s}', String(retryAfterS)), this.refusal.code, retryAfterS);
    }
  }
}

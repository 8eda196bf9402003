// Slow mode: when each user last sent in each room, so a room with `slowModeS` makes them wait that long
// between two messages (on top of the rate limit). Entries older than the longest slow mode are swept.
import { SLOW_MODE_MAX_S } from '../../typings/chat';

const SWEEP_EVERY = 1000;

export class SlowMode {
  private readonly last = new Map<string, number>();
  private checks = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** 0 when `key` may send now under a slow mode of `slowModeS` seconds, else the milliseconds to wait. */
  wait(key: string, slowModeS: number): number {
    if (slowModeS <= 0) return 0;
    const last = this.last.get(key);
    return last === undefined ? 0 : Math.max(0, last + slowModeS * 1000 - this.now());
  }

  /** `key` has just sent. */
  sent(key: string): void {
    const now = this.now();
    if (++this.checks % SWEEP_EVERY === 0) {
      for (const [k, at] of this.last) if (now - at > SLOW_MODE_MAX_S * 1000) this.last.delete(k);
    }
    this.last.set(key, now);
  }
}

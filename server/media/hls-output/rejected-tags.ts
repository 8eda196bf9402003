// A publisher's malformed media is skipped, not fatal: this says so now and then (the first time, then every
// 100 more), at error level when the cause is our bug rather than bad input.
import type { Logger } from 'pino';

export interface RejectedTags { count: number; internal: number; last: Error | null }

export class RejectionWarner {
  private warned = 0;

  constructor(private readonly log: Logger) {}

  check(r: RejectedTags): void {
    if (r.count > this.warned && (this.warned === 0 || r.count - this.warned >= 100)) {
      this.log[r.internal > 0 ? 'error' : 'warn']({ err: r.last, count: r.count }, 'hls: skipped tags the muxer could not use');
      this.warned = r.count;
    }
  }
}

// Guest sessions for the H5 watch page (issue 13): a nickname becomes a session token of a new `guest_…` user
// that may chat (never host), rate-limited per client address. GUEST_CHAT=off leaves this out.
import { randomBytes } from 'node:crypto';
import type { LoginResponse } from '../../typings/api';
import { PerMinute } from '../limits/per-minute';
import { issueSessionToken } from '../signing/session-token';
import { GUEST_ID_PREFIX } from '../chat/user-gate';

export interface GuestSessionOptions {
  secret: string;
  sessionTtlS: number;
  /** guest sessions per client address per minute (GUEST_PER_IP_PER_MIN) */
  perAddressPerMin: number;
  onLimit?: (reason: string, key: string) => void;
  now?: () => number;
}

export class GuestSessions {
  private readonly perAddress: PerMinute;
  private readonly now: () => number;

  constructor(private readonly opts: GuestSessionOptions) {
    this.now = opts.now ?? Date.now;
    this.perAddress = new PerMinute(opts.perAddressPerMin, {
      code: 'guest_rate_address', message: 'Too many guest sessions from this address; try again in {s} s.',
    }, opts.onLimit);
  }

  /** `nickname`: already checked (1–20 characters after trim). Throws RateLimited (429 + Retry-After). */
  async start(nickname: string, address: string): Promise<LoginResponse> {
    await this.perAddress.take(address);
    const id = `${GUEST_ID_PREFIX}${randomBytes(9).toString('base64url')}`;
    const exp = Math.floor(this.now() / 1000 + this.opts.sessionTtlS);
    const token = issueSessionToken(this.opts.secret, { sub: id, nick: nickname, exp });
    return { token, user: { id, nickname }, expiresAt: new Date(exp * 1000).toISOString() };
  }
}

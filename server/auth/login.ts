// Sign-in: a mini-program login code becomes a user and a session token.
import { createHash } from 'node:crypto';
import type { LoginResponse } from '../../typings/api';
import { PerMinute } from '../limits/per-minute';
import { issueSessionToken, readSessionToken } from '../signing/session-token';
import { code2session, type WechatOptions } from './wechat-client';

export interface LoginOptions {
  mode: 'dev' | 'wechat';
  secret: string;
  sessionTtlS: number;
  wechat?: WechatOptions;
  /** logins per client address per minute (README "Limits"); unlimited without */
  perAddressPerMin?: number;
  /** logins of one user per minute, from any address: session tokens are not minted in bulk; unlimited without */
  perUserPerMin?: number;
  /** told the reason whenever the limit refuses (wxlive_limit_refusals_total) */
  onLimit?: (reason: string, key: string) => void;
  /** throws to refuse a user (issue 13: banned everywhere by the admin → 403 user_banned) */
  maySignIn?: (userId: string) => Promise<void>;
  /** the nickname the user set (PUT /api/me), which wins over WeChat's or dev's; null when none */
  nickname?: (userId: string) => Promise<string | null>;
  now?: () => number;
}

/** `openid`: only in AUTH_MODE=wechat, for the content check; never in a response */
export interface SessionUser { id: string; nickname?: string; openid?: string }

const shortHash = (s: string) => createHash('sha256').update(s).digest('base64url').slice(0, 16);

export class LoginService {
  private readonly now: () => number;
  private readonly perAddress: PerMinute | null;
  private readonly perUser: PerMinute | null;

  constructor(private readonly opts: LoginOptions) {
    this.now = opts.now ?? Date.now;
    this.perAddress = opts.perAddressPerMin === undefined ? null : new PerMinute(opts.perAddressPerMin, {
      code: 'login_rate_address', message: 'Too many logins from this address; try again in {s} s.',
    }, opts.onLimit);
    this.perUser = opts.perUserPerMin === undefined ? null : new PerMinute(opts.perUserPerMin, {
      code: 'login_rate_user', message: 'Too many logins of this user; try again in {s} s.',
    }, opts.onLimit);
  }

  /** `address`: the client's, counted before WeChat is asked (a failed login counts too). */
  async login(code: string, address?: string): Promise<LoginResponse> {
    if (address !== undefined) await this.perAddress?.take(address);
    const { user: identified, openid } = await this.identify(code);
    await this.opts.maySignIn?.(identified.id);
    await this.perUser?.take(identified.id);
    const nickname = await this.opts.nickname?.(identified.id);
    const user = nickname ? { ...identified, nickname } : identified;
    const exp = Math.floor(this.now() / 1000 + this.opts.sessionTtlS);
    const token = issueSessionToken(this.opts.secret, { sub: user.id, nick: user.nickname, oid: openid, exp });
    return { token, user, expiresAt: new Date(exp * 1000).toISOString() };
  }

  /** The user behind a bearer token, or null. */
  verify(token: string): SessionUser | null {
    const claims = readSessionToken(this.opts.secret, token, this.now() / 1000);
    if (!claims) return null;
    const user: SessionUser = claims.nick ? { id: claims.sub, nickname: claims.nick } : { id: claims.sub };
    if (claims.oid) user.openid = claims.oid;
    return user;
  }

  private async identify(code: string): Promise<{ user: SessionUser; openid?: string }> {
    if (this.opts.mode === 'dev') {
      // dev: the same code always maps to the same user, so two codes give two hosts to test with
      return { user: { id: `dev_${shortHash(code)}`, nickname: `dev-${code.slice(0, 16)}` } };
    }
    const who = await code2session(this.opts.wechat!, code);
    // hashed so openids (personal identifiers) do not leak through public room listings; the openid itself
    // rides in the session token only (msgSecCheck v2 needs it)
    return { user: { id: `wx_${shortHash(who.unionid ?? who.openid)}` }, openid: who.openid };
  }
}

// The mini-program's access token for server-side WeChat APIs, from POST {WECHAT_API_BASE}/cgi-bin/stable_token.
// Cached until shortly before it expires; one fetch at a time however many checks wait for it. `refresh` is
// for a token WeChat called invalid (40001) or expired (42001): it forces a new one, unless another caller
// already replaced that token.

export interface WechatAppOptions {
  apiBase: string;
  appId: string;
  secret: string;
  /** per request, default 3000 */
  timeoutMs?: number;
}

interface StableTokenReply { access_token?: string; expires_in?: number; errcode?: number; errmsg?: string }

/** A token is not used in its last minutes: a check in flight must not carry one that expires on the way. */
const EXPIRY_MARGIN_S = 300;

/** at most one forced refresh (force_refresh: true) per this long */
const FORCE_EVERY_MS = 30_000;

export class WechatApiError extends Error {
  constructor(readonly errcode: number, message: string) {
    super(message);
    this.name = 'WechatApiError';
  }
}

/** `path` relative to the base, so a WECHAT_API_BASE with a path (an API gateway) keeps its prefix. */
export function wechatUrl(apiBase: string, path: string): URL {
  return new URL(path, apiBase.replace(/\/*$/, '/'));
}

export async function postJson<T>(url: URL, body: unknown, timeoutMs: number): Promise<T> {
  const res = await fetch(url, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  // WeChat answers errors with HTTP 200 and an errcode; anything else is a gateway in the way
  if (!res.ok) throw new WechatApiError(-1, `HTTP ${res.status} from ${url.pathname}`);
  return (await res.json()) as T;
}

export class AccessTokens {
  private token: { value: string; validUntil: number } | null = null;
  private fetching: Promise<string> | null = null;
  private lastForced = -Infinity;
  private readonly now: () => number;

  constructor(private readonly opts: WechatAppOptions, now?: () => number) {
    this.now = now ?? Date.now;
  }

  /** A valid token, fetched when none is cached or it is about to expire. */
  async get(): Promise<string> {
    if (this.token && this.now() < this.token.validUntil) return this.token.value;
    return this.fetch(false);
  }

  /** WeChat refused `stale`: a new token (forced), or the one another caller got meanwhile. */
  async refresh(stale: string): Promise<string> {
    if (this.token && this.token.value !== stale && this.now() < this.token.validUntil) return this.token.value;
    if (this.token?.value === stale) this.token = null;
    // WeChat allows few forced refreshes a day: a token refused over and over (a second app sharing the
    // secret) gets the normal mode's current token in between
    const force = this.now() >= this.lastForced + FORCE_EVERY_MS;
    if (force) this.lastForced = this.now();
    return this.fetch(force);
  }

  private fetch(force: boolean): Promise<string> {
    this.fetching ??= this.request(force).finally(() => { this.fetching = null; });
    return this.fetching;
  }

  private async request(force: boolean): Promise<string> {
    const { apiBase, appId, secret, timeoutMs = 3000 } = this.opts;
    const body: Record<string, unknown> = { grant_type: 'client_credential', appid: appId, secret };
    if (force) body.force_refresh = true;
    const reply = await postJson<StableTokenReply>(wechatUrl(apiBase, 'cgi-bin/stable_token'), body, timeoutMs);
    if (typeof reply.access_token !== 'string' || !reply.access_token || reply.errcode) {
      throw new WechatApiError(reply.errcode ?? -1, `stable_token refused: ${reply.errcode ?? '?'} ${reply.errmsg ?? ''}`.trim());
    }
    const ttlS = typeof reply.expires_in === 'number' && reply.expires_in > 0 ? reply.expires_in : 7200;
    const usableS = ttlS > 2 * EXPIRY_MARGIN_S ? ttlS - EXPIRY_MARGIN_S : ttlS / 2;
    this.token = { value: reply.access_token, validUntil: this.now() + usableS * 1000 };
    return reply.access_token;
  }
}

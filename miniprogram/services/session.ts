// Sign-in: wx.login → POST /api/auth/login; the token lives in storage; a 401 signs in again, once.
import type { LoginRequest, LoginResponse, User } from '../../typings/api';
import { ApiError, NetworkError, isApiError } from './api-error';
import type { HttpClient } from './http';
import { t } from '../lib/i18n';
import type { WxPort } from './wx-port';

export const SESSION_KEY = 'wxlive.session';
/** treat a token this close to expiry as expired, so a request never races the expiry */
const EXPIRY_MARGIN_MS = 60000;

export interface StoredSession {
  token: string;
  expiresAt: string;
  user: User;
}

export interface SessionOptions {
  http: HttpClient;
  wx: () => WxPort;
  loginTimeoutMs: number;
  now?: () => number;
}

export class Session {
  private inflight: Promise<StoredSession> | null = null;
  private readonly now: () => number;

  constructor(private readonly opts: SessionOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** The stored session if it is still good. */
  current(): StoredSession | null {
    let raw: unknown;
    try { raw = this.opts.wx().getStorageSync(SESSION_KEY); } catch { return null; }
    const s = readStored(raw);
    if (!s) return null;
    return Date.parse(s.expiresAt) - this.now() > EXPIRY_MARGIN_MS ? s : null;
  }

  /** Signs in now (concurrent callers share one sign-in). */
  signIn(): Promise<StoredSession> {
    if (!this.inflight) {
      this.inflight = this.doSignIn().finally(() => { this.inflight = null; });
    }
    return this.inflight;
  }

  async token(): Promise<string> {
    return (this.current() ?? (await this.signIn())).token;
  }

  /** Runs an authenticated call; when the server says 401, signs in again and repeats it once. */
  async withToken<T>(call: (token: string) => Promise<T>): Promise<T> {
    const first = await this.token();
    try {
      return await call(first);
    } catch (e) {
      if (!isApiError(e) || e.status !== 401) throw e;
      this.clear();
      return call((await this.signIn()).token);
    }
  }

  /** The nickname changed (PUT /api/me): the stored user says so too. */
  rename(nickname: string): void {
    const s = this.current();
    if (!s) return;
    try { this.opts.wx().setStorageSync(SESSION_KEY, { ...s, user: { ...s.user, nickname } }); } catch { /* kept for this run only */ }
  }

  clear(): void {
    try { this.opts.wx().removeStorageSync(SESSION_KEY); } catch { /* storage full or gone: nothing to clear */ }
  }

  private async doSignIn(): Promise<StoredSession> {
    const code = await this.wxLoginCode();
    const body: LoginRequest = { code };
    const res = await this.opts.http.request<LoginResponse>({ method: 'POST', path: '/api/auth/login', body });
    const s: StoredSession = { token: res.token, expiresAt: res.expiresAt, user: res.user };
    try { this.opts.wx().setStorageSync(SESSION_KEY, s); } catch { /* still usable for this run */ }
    return s;
  }

  private wxLoginCode(): Promise<string> {
    return new Promise((resolve, reject) => {
      this.opts.wx().login({
        timeout: this.opts.loginTimeoutMs,
        success: (r) => (r && r.code ? resolve(r.code) : reject(new ApiError(0, 'wx_login_failed', t('error.wxLoginNoCode')))),
        fail: (err) => reject(new NetworkError('wx.login', err ? err.errMsg : 'login:fail')),
      });
    });
  }
}

function readStored(raw: unknown): StoredSession | null {
  if (!raw || typeof raw !== 'object') return null;
  const s = raw as Partial<StoredSession>;
  return typeof s.token === 'string' && typeof s.expiresAt === 'string' && s.user && typeof s.user.id === 'string'
    ? { token: s.token, expiresAt: s.expiresAt, user: s.user }
    : null;
}

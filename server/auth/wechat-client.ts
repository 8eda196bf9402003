// WeChat code2session client: trades a wx.login code for an openid. session_key is dropped here,
// so it can never be returned or logged by anything downstream.
import { DomainError, RateLimited, ServiceUnavailable, Unauthorized, Forbidden } from '../errors';

export interface WechatOptions { apiBase: string; appId: string; secret: string; timeoutMs?: number }

export interface WechatIdentity { openid: string; unionid?: string }

interface Code2SessionReply { openid?: string; unionid?: string; session_key?: string; errcode?: number; errmsg?: string }

function refusal(errcode: number | undefined): DomainError {
  switch (errcode) {
    case 40029: return new Unauthorized('The login code is invalid or was already used.', 'invalid_code');
    case 40163: return new Unauthorized('The login code was already used.', 'invalid_code');
    case 45011: return new RateLimited('Too many logins; try again in a minute.');
    case 40226: return new Forbidden('WeChat blocked this login as high-risk.', 'login_blocked');
    default: return new ServiceUnavailable('WeChat login is unavailable right now; try again.', 'wechat_unavailable');
  }
}

export async function code2session(opts: WechatOptions, code: string): Promise<WechatIdentity> {
  // relative, so a WECHAT_API_BASE with a path (an API gateway) keeps its prefix
  const url = new URL('sns/jscode2session', opts.apiBase.replace(/\/*$/, '/'));
  url.search = new URLSearchParams({
    appid: opts.appId, secret: opts.secret, js_code: code, grant_type: 'authorization_code',
  }).toString();
  let reply: Code2SessionReply;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(opts.timeoutMs ?? 5000) });
    reply = (await res.json()) as Code2SessionReply;
  } catch {
    throw refusal(-1);
  }
  // a success may omit errcode: the openid is what proves it
  if (typeof reply.openid === 'string' && reply.openid && !reply.errcode) {
    return reply.unionid ? { openid: reply.openid, unionid: reply.unionid } : { openid: reply.openid };
  }
  throw refusal(reply.errcode);
}

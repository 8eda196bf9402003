// Session tokens for signed-in users: base64url(JSON payload) + "." + base64url(HMAC-SHA256).
// A compact JWT-like format with one algorithm, so there is no "alg" header to get wrong.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** `oid`: the WeChat openid (AUTH_MODE=wechat), for msgSecCheck; the user's own, never shown to others */
export interface SessionClaims { sub: string; nick?: string; oid?: string; exp: number }

function mac(secret: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(`wxlive-session\n${payload}`).digest();
}

export function issueSessionToken(secret: string, claims: SessionClaims): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${mac(secret, payload).toString('base64url')}`;
}

/** The claims of a valid, unexpired token; null for anything else. */
export function readSessionToken(secret: string, token: string, nowS = Date.now() / 1000): SessionClaims | null {
  const parts = token.split('.');
  if (parts.length !== 2) return null;
  const [payload, sig] = parts as [string, string];
  const given = Buffer.from(sig, 'base64url');
  const expected = mac(secret, payload);
  // the canonical-spelling check keeps tokens non-malleable (Node's decoder ignores stray bits)
  if (given.length !== expected.length || given.toString('base64url') !== sig || !timingSafeEqual(given, expected)) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as SessionClaims;
    if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number' || claims.exp < nowS) return null;
    return claims;
  } catch {
    return null;
  }
}

// Signed media URLs: HMAC-SHA256 over (action, roomId, expiry), compared in constant time.
// The query carries only `expires` and `sign`; the action and room come from where the URL is used,
// so a play signature can never publish and room A's signature can never open room B.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type MediaAction = 'publish' | 'play';
export type RejectReason = 'malformed' | 'expired' | 'bad_signature' | 'wrong_action';

export interface SignedParams { expires: number; sign: string }

export type Verdict = { ok: true } | { ok: false; reason: RejectReason };

const SIGN_PATTERN = /^[A-Za-z0-9_-]{43}$/; // base64url of 32 bytes, unpadded
const OTHER: Record<MediaAction, MediaAction> = { publish: 'play', play: 'publish' };

function mac(secret: string, action: MediaAction, roomId: string, expires: number): Buffer {
  return createHmac('sha256', secret).update(`wxlive-media\n${action}\n${roomId}\n${expires}`).digest();
}

export function signMedia(secret: string, action: MediaAction, roomId: string, expires: number): SignedParams {
  return { expires, sign: mac(secret, action, roomId, expires).toString('base64url') };
}

export function toQuery(p: SignedParams): string {
  return `expires=${p.expires}&sign=${p.sign}`;
}

/**
 * Read `expires` and `sign` from a parsed query where any value may be repeated or missing.
 * A repeated parameter is malformed, never "first wins": two signatures are one too many.
 */
export function readSignedParams(query: Record<string, unknown>): SignedParams | null {
  const expires = query.expires;
  const sign = query.sign;
  if (typeof expires !== 'string' || typeof sign !== 'string') return null;
  if (!/^\d{1,12}$/.test(expires) || !SIGN_PATTERN.test(sign)) return null;
  return { expires: Number(expires), sign };
}

export function verifyMedia(
  secret: string, action: MediaAction, roomId: string, params: SignedParams | null, nowS = Date.now() / 1000,
): Verdict {
  if (!params) return { ok: false, reason: 'malformed' };
  const given = Buffer.from(params.sign, 'base64url');
  // Node's decoder ignores stray bits and characters: only the canonical spelling of 32 bytes is a signature
  if (given.length !== 32 || given.toString('base64url') !== params.sign) return { ok: false, reason: 'malformed' };
  const matches = (a: MediaAction) => timingSafeEqual(given, mac(secret, a, roomId, params.expires));
  if (!matches(action)) {
    return { ok: false, reason: matches(OTHER[action]) ? 'wrong_action' : 'bad_signature' };
  }
  if (params.expires < nowS) return { ok: false, reason: 'expired' };
  return { ok: true };
}

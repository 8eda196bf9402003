// Signed media URLs: HMAC-SHA256 over (action, roomId, expiry[, generation]), compared in constant time.
// The query carries `expires`, `sign` and, on push URLs, `gen` (the room's push ticket generation: the room
// service admits only the newest, so a new ticket revokes the older ones). The action and room come from where
// the URL is used, so a play signature can never publish and room A's signature can never open room B.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type MediaAction = 'publish' | 'play';
export type RejectReason = 'malformed' | 'expired' | 'bad_signature' | 'wrong_action';

/** `gen` is absent from play URLs and from push URLs issued before generations (they count as generation 0). */
export interface SignedParams { expires: number; sign: string; gen?: number }

export type Verdict = { ok: true } | { ok: false; reason: RejectReason };

const SIGN_PATTERN = /^[A-Za-z0-9_-]{43}$/; // base64url of 32 bytes, unpadded
const OTHER: Record<MediaAction, MediaAction> = { publish: 'play', play: 'publish' };

function mac(secret: string, action: MediaAction, roomId: string, expires: number, gen: number | undefined): Buffer {
  const generation = gen === undefined ? '' : `\n${gen}`;
  return createHmac('sha256', secret).update(`wxlive-media\n${action}\n${roomId}\n${expires}${generation}`).digest();
}

export function signMedia(secret: string, action: MediaAction, roomId: string, expires: number, gen?: number): SignedParams {
  const sign = mac(secret, action, roomId, expires, gen).toString('base64url');
  return gen === undefined ? { expires, sign } : { expires, sign, gen };
}

export function toQuery(p: SignedParams): string {
  return p.gen === undefined ? `expires=${p.expires}&sign=${p.sign}` : `expires=${p.expires}&gen=${p.gen}&sign=${p.sign}`;
}

/**
 * Read `expires` and `sign` from a parsed query where any value may be repeated or missing.
 * A repeated parameter is malformed, never "first wins": two signatures are one too many.
 */
export function readSignedParams(query: Record<string, unknown>): SignedParams | null {
  const expires = query.expires;
  const sign = query.sign;
  const gen = query.gen;
  if (typeof expires !== 'string' || typeof sign !== 'string') return null;
  if (!/^\d{1,12}$/.test(expires) || !SIGN_PATTERN.test(sign)) return null;
  if (gen === undefined) return { expires: Number(expires), sign };
  if (typeof gen !== 'string' || !/^(0|[1-9]\d{0,8})$/.test(gen)) return null;
  return { expires: Number(expires), sign, gen: Number(gen) };
}

/** The push ticket generation a (verified) push URL's query names: 0 when it names none. */
export function pushGenerationOf(query: Record<string, unknown>): number {
  return readSignedParams(query)?.gen ?? 0;
}

/**
 * Signatures already verified, per secret: every HLS player presents the same one each second for its playlist and
 * again for each segment, and the HMAC was the largest part of answering it from memory (bench (e)). Only a match is
 * kept, under its signature with everything it signed, so a lookup can only hit with a signature that was verified in
 * full before for the same action, subject, expiry and generation.
 */
interface Verified { action: MediaAction; subject: string; expires: number; gen: number | undefined; query: { expires: string; gen: unknown } }

const VERIFIED_MAX = 10_000;
const verified = new Map<string, Map<string, Verified>>();
const OK: Verdict = Object.freeze({ ok: true as const });
const EXPIRED: Verdict = Object.freeze({ ok: false as const, reason: 'expired' as const });

function remember(secret: string, v: Verified, sign: string): void {
  let keys = verified.get(secret);
  if (!keys) verified.set(secret, (keys = new Map()));
  if (keys.size >= VERIFIED_MAX) keys.delete(keys.keys().next().value!); // oldest first
  keys.set(sign, v);
}

export function verifyMedia(
  secret: string, action: MediaAction, roomId: string, params: SignedParams | null, nowS = Date.now() / 1000,
): Verdict {
  if (!params) return { ok: false, reason: 'malformed' };
  const known = verified.get(secret)?.get(params.sign);
  if (known && known.action === action && known.subject === roomId && known.expires === params.expires && known.gen === params.gen) {
    return params.expires < nowS ? EXPIRED : OK;
  }
  const given = Buffer.from(params.sign, 'base64url');
  // Node's decoder ignores stray bits and characters: only the canonical spelling of 32 bytes is a signature
  if (given.length !== 32 || given.toString('base64url') !== params.sign) return { ok: false, reason: 'malformed' };
  const matches = (a: MediaAction) => timingSafeEqual(given, mac(secret, a, roomId, params.expires, params.gen));
  if (!matches(action)) {
    return { ok: false, reason: matches(OTHER[action]) ? 'wrong_action' : 'bad_signature' };
  }
  const query = { expires: String(params.expires), gen: params.gen === undefined ? undefined : String(params.gen) };
  remember(secret, { action, subject: roomId, expires: params.expires, gen: params.gen, query }, params.sign);
  return params.expires < nowS ? EXPIRED : OK;
}

/**
 * verifyMedia of a parsed query (readSignedParams), answered without parsing when the query spells, character for
 * character, a signature verified before: what a player at the live edge sends with every request.
 */
export function verifyMediaQuery(
  secret: string, action: MediaAction, subject: string, query: Record<string, unknown>, nowS = Date.now() / 1000,
): Verdict {
  const sign = query.sign;
  const known = typeof sign === 'string' ? verified.get(secret)?.get(sign) : undefined;
  if (known && known.action === action && known.subject === subject && known.query.expires === query.expires && known.query.gen === query.gen) {
    return known.expires < nowS ? EXPIRED : OK;
  }
  return verifyMedia(secret, action, subject, readSignedParams(query), nowS);
}

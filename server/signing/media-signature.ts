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
 * kept, under the whole signed text, so a lookup can only hit with a signature that was verified in full before.
 */
const VERIFIED_MAX = 10_000;
const verified = new Map<string, Set<string>>();

function knownGood(secret: string, key: string): boolean {
  return verified.get(secret)?.has(key) ?? false;
}

function remember(secret: string, key: string): void {
  let keys = verified.get(secret);
  if (!keys) verified.set(secret, (keys = new Set()));
  if (keys.size >= VERIFIED_MAX) keys.delete(keys.values().next().value!); // oldest first
  keys.add(key);
}

export function verifyMedia(
  secret: string, action: MediaAction, roomId: string, params: SignedParams | null, nowS = Date.now() / 1000,
): Verdict {
  if (!params) return { ok: false, reason: 'malformed' };
  const key = `${action}\n${roomId}\n${params.expires}\n${params.gen ?? ''}\n${params.sign}`;
  if (knownGood(secret, key)) return params.expires < nowS ? { ok: false, reason: 'expired' } : { ok: true };
  const given = Buffer.from(params.sign, 'base64url');
  // Node's decoder ignores stray bits and characters: only the canonical spelling of 32 bytes is a signature
  if (given.length !== 32 || given.toString('base64url') !== params.sign) return { ok: false, reason: 'malformed' };
  const matches = (a: MediaAction) => timingSafeEqual(given, mac(secret, a, roomId, params.expires, params.gen));
  if (!matches(action)) {
    return { ok: false, reason: matches(OTHER[action]) ? 'wrong_action' : 'bad_signature' };
  }
  remember(secret, key);
  if (params.expires < nowS) return { ok: false, reason: 'expired' };
  return { ok: true };
}

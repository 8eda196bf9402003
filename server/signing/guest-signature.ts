// Push tickets of co-hosts (issue 15): HMAC-SHA256 with SIGNING_SECRET over ('publish', `<roomId>~<slot>`, the
// user, the expiry, the acceptance generation), compared in constant time. The stream name comes from where the
// URL is used, so a guest ticket never opens the main slot, another slot or another room; the user and the
// generation come from the query and are checked against the line-up (GuestPublishCheck.admit), so a ticket dies
// when its acceptance does, even if the same user is accepted again on the same slot later.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { GuestSlot } from '../../typings/cohost';
import type { RejectReason } from './media-signature';

/** The query of a guest push URL: `expires`, `gen`, `user`, `sign`. */
export interface GuestParams { expires: number; gen: number; user: string; sign: string }

export type GuestVerdict = { ok: true; params: GuestParams } | { ok: false; reason: RejectReason };

const SIGN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const USER_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** The media stream name of a guest slot: `<roomId>~<slot>`. */
export function guestStream(roomId: string, slot: GuestSlot): string {
  return `${roomId}~${slot}`;
}

function mac(secret: string, stream: string, user: string, expires: number, gen: number): Buffer {
  // its own prefix: no room push or play signature can ever equal a guest one
  return createHmac('sha256', secret).update(`wxlive-guest\npublish\n${stream}\n${user}\n${expires}\n${gen}`).digest();
}

export function signGuest(secret: string, stream: string, user: string, expires: number, gen: number): GuestParams {
  return { expires, gen, user, sign: mac(secret, stream, user, expires, gen).toString('base64url') };
}

export function guestQuery(p: GuestParams): string {
  return `expires=${p.expires}&gen=${p.gen}&user=${encodeURIComponent(p.user)}&sign=${p.sign}`;
}

/** Reads the four parameters; a repeated or missing one is malformed. */
export function readGuestParams(query: Record<string, unknown>): GuestParams | null {
  const { expires, gen, user, sign } = query;
  if (typeof expires !== 'string' || typeof gen !== 'string' || typeof user !== 'string' || typeof sign !== 'string') return null;
  if (!/^\d{1,12}$/.test(expires) || !/^(0|[1-9]\d{0,15})$/.test(gen) || !USER_PATTERN.test(user) || !SIGN_PATTERN.test(sign)) return null;
  return { expires: Number(expires), gen: Number(gen), user, sign };
}

export function verifyGuest(secret: string, stream: string, query: Record<string, unknown>, nowS = Date.now() / 1000): GuestVerdict {
  const params = readGuestParams(query);
  if (!params) return { ok: false, reason: 'malformed' };
  const given = Buffer.from(params.sign, 'base64url');
  if (given.length !== 32 || given.toString('base64url') !== params.sign) return { ok: false, reason: 'malformed' };
  if (!timingSafeEqual(given, mac(secret, stream, params.user, params.expires, params.gen))) return { ok: false, reason: 'bad_signature' };
  if (params.expires < nowS) return { ok: false, reason: 'expired' };
  return { ok: true, params };
}

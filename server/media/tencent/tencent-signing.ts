// Tencent Cloud Live (CSS) signatures. These are Tencent's schemes, not ours: URL auth is
// txSecret = md5(key + streamName + txTime) with txTime the expiry as uppercase hex Unix seconds, and
// callbacks carry sign = md5(callbackKey + t). md5 is what CSS computes; we can only compare in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';

const md5 = (s: string): string => createHash('md5').update(s, 'utf8').digest('hex');

/** Expiry (Unix seconds) → txTime: uppercase hexadecimal. */
export function txTime(expiresAtS: number): string {
  return Math.floor(expiresAtS).toString(16).toUpperCase();
}

export function txSecret(key: string, streamName: string, time: string): string {
  return md5(key + streamName + time);
}

/** `txSecret=…&txTime=…` for a stream, valid until `expiresAtS`. */
export function signedStreamQuery(key: string, streamName: string, expiresAtS: number): string {
  const time = txTime(expiresAtS);
  return `txSecret=${txSecret(key, streamName, time)}&txTime=${time}`;
}

export function callbackSign(callbackKey: string, t: number): string {
  return md5(callbackKey + String(t));
}

/** Constant-time comparison of two hex digests (case-insensitive, as CSS documents none). */
export function sameDigest(expected: string, given: string): boolean {
  const a = Buffer.from(expected.toLowerCase(), 'utf8');
  const b = Buffer.from(given.toLowerCase(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

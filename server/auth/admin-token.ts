// Admin bearer check, constant-time so the token cannot be guessed byte by byte.
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string) => createHash('sha256').update(s).digest();

export function isAdminToken(expected: string, given: string | undefined): boolean {
  if (!given) return false;
  // hashing first gives equal lengths, so timingSafeEqual never throws and length is not leaked
  return timingSafeEqual(digest(expected), digest(given));
}

/** The token of an `Authorization: Bearer <token>` header, if any. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1];
}

// A cover picture as the server takes it: JPEG or PNG told by its first bytes (never by the file name), and
// at most COVER_MAX_BYTES, checked before anything is sent.

/** The server's limit for POST /api/rooms/:id/cover (README "Limits"). */
export const COVER_MAX_BYTES = 2 * 1024 * 1024;

export type CoverType = 'image/jpeg' | 'image/png';

/** JPEG starts FF D8 FF, PNG with its 8-byte signature; anything else is not a cover. */
export function sniffCoverType(bytes: ArrayBuffer): CoverType | null {
  const b = new Uint8Array(bytes, 0, Math.min(8, bytes.byteLength));
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (b.length === 8 && png.every((x, i) => b[i] === x)) return 'image/png';
  return null;
}

export type CoverCheck = { ok: true; type: CoverType } | { ok: false; reason: 'too-big' | 'not-an-image' };

export function checkCover(bytes: ArrayBuffer): CoverCheck {
  if (bytes.byteLength > COVER_MAX_BYTES) return { ok: false, reason: 'too-big' };
  const type = sniffCoverType(bytes);
  return type ? { ok: true, type } : { ok: false, reason: 'not-an-image' };
}

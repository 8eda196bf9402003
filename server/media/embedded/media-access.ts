// Play/publish admission for the embedded server: signature (sync) and room state (async).
import { DomainError, Forbidden } from '../../errors';
import { isRoomId } from '../hls-output/hls-paths';
import { verifyMediaQuery, type MediaAction } from '../../signing/media-signature';

export type Query = Record<string, unknown>;

/** Why a signed media request is refused, or null when its signature holds. */
export function signatureRefusal(secret: string, action: MediaAction, roomId: string, query: Query): string | null {
  if (!isRoomId(roomId)) return 'unknown_room';
  const verdict = verifyMediaQuery(secret, action, roomId, query);
  return verdict.ok ? null : verdict.reason;
}

/** The same refusal as an HTTP-facing error. */
export function assertPlaySignature(secret: string, roomId: string, query: Query): void {
  const reason = signatureRefusal(secret, 'play', roomId, query);
  if (reason) throw new Forbidden(`Play refused: ${reason.replace('_', ' ')}. Fetch fresh URLs from /api/rooms/${roomId}/play.`, `signature_${reason}`);
}

/** A domain error's code, for refusal logs and metrics. */
export function reasonOf(err: unknown): string {
  return err instanceof DomainError ? err.code : 'unavailable';
}

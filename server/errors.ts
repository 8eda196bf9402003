// Typed domain errors. Domain code throws these; the HTTP layer maps `kind` to a status,
// and the RTMP layer turns the same error into a refused publish.

export type ErrorKind =
  | 'invalid' | 'unauthorized' | 'forbidden' | 'not_found' | 'conflict'
  | 'too_large' | 'unsupported_media' | 'rate_limited' | 'unavailable' | 'storage_full'
  /** a feature this deployment does not offer (e.g. co-hosting on a media provider that cannot do it) */
  | 'not_implemented'
  /** well-formed request, content that cannot be used (a truncated or non-media upload: 422) */
  | 'unprocessable';

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    /** extra fields the client may see next to code and message */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class InvalidInput extends DomainError {
  constructor(message: string, code = 'invalid_request') { super('invalid', code, message); }
}

export class Unauthorized extends DomainError {
  constructor(message = 'Sign in first: send Authorization: Bearer <token>.', code = 'unauthorized') {
    super('unauthorized', code, message);
  }
}

export class Forbidden extends DomainError {
  constructor(message: string, code = 'forbidden') { super('forbidden', code, message); }
}

export class RoomNotFound extends DomainError {
  constructor(id: string) { super('not_found', 'room_not_found', `No room with id "${id}".`); }
}

export class IllegalTransition extends DomainError {
  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super('conflict', code, message, details);
  }
}

export class ServiceUnavailable extends DomainError {
  constructor(message: string, code = 'service_unavailable') { super('unavailable', code, message); }
}

export class RateLimited extends DomainError {
  /** retryAfterS: when the limit lets this client in again (sent as Retry-After and in the body) */
  constructor(message: string, code = 'rate_limited', readonly retryAfterS?: number) {
    super('rate_limited', code, message, retryAfterS === undefined ? {} : { retryAfterS });
  }
}

/** The disk under DATA_DIR is full (or below DISK_MIN_FREE_MB): nothing was written, try later. */
export class StorageFull extends DomainError {
  constructor(message: string, code = 'storage_full') { super('storage_full', code, message); }
}

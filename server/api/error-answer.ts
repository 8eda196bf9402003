// How an error becomes a response: `{ error: { code, message } }` with its status, never a stack trace. Shared by
// the Koa error middleware and the media lane, which answers ahead of Koa.
import { DomainError, RateLimited, type ErrorKind } from '../errors';

const STATUS: Record<ErrorKind, number> = {
  invalid: 400, unauthorized: 401, forbidden: 403, not_found: 404, conflict: 409,
  too_large: 413, unsupported_media: 415, rate_limited: 429, unavailable: 503, storage_full: 507, not_implemented: 501,
  unprocessable: 422,
};

/** Codes for errors raised by Koa and its body parser (they carry `status` and `expose`). */
const HTTP_CODES: Record<number, [string, string]> = {
  400: ['invalid_json', 'The request body is not valid JSON.'],
  413: ['payload_too_large', 'The request body is too large.'],
  415: ['unsupported_media_type', 'Send the body as application/json.'],
};

interface HttpishError { status?: number; statusCode?: number; expose?: boolean; message?: string }

export interface ErrorAnswer {
  status: number;
  body: { error: { code: string; message: string } & Record<string, unknown> };
  retryAfter?: string;
  /** not the client's doing: worth an error log line */
  unexpected: boolean;
  /**
   * the connection is closed after the answer: a client refused by a limit must not keep its socket (and one of
   * the server's open files) for the keep-alive timeout while it floods — it retries on a new connection
   */
  closes?: boolean;
}

export function errorAnswer(err: unknown): ErrorAnswer {
  if (err instanceof DomainError) {
    const retryAfter = err instanceof RateLimited && err.retryAfterS !== undefined
      ? String(Math.max(1, Math.ceil(err.retryAfterS))) : undefined;
    const status = STATUS[err.kind];
    return { status, body: { error: { code: err.code, message: err.message, ...err.details } }, retryAfter, unexpected: false, closes: status === 429 };
  }
  const e = (err ?? {}) as HttpishError;
  const status = e.status ?? e.statusCode;
  if (status && status >= 400 && status < 500) {
    const [code, message] = HTTP_CODES[status] ?? ['bad_request', e.expose && e.message ? e.message : 'Bad request.'];
    return { status, body: { error: { code, message } }, unexpected: false };
  }
  return {
    status: 500, unexpected: true,
    body: { error: { code: 'internal_error', message: 'Something went wrong on our side; it has been logged.' } },
  };
}

// The one place errors become responses: `{ error: { code, message } }`, never a stack trace.
import type { Middleware } from 'koa';
import { DomainError, RateLimited, type ErrorKind } from '../../errors';

const STATUS: Record<ErrorKind, number> = {
  invalid: 400, unauthorized: 401, forbidden: 403, not_found: 404, conflict: 409,
  too_large: 413, unsupported_media: 415, rate_limited: 429, unavailable: 503, storage_full: 507,
};

/** Codes for errors raised by Koa and its body parser (they carry `status` and `expose`). */
const HTTP_CODES: Record<number, [string, string]> = {
  400: ['invalid_json', 'The request body is not valid JSON.'],
  413: ['payload_too_large', 'The request body is too large.'],
  415: ['unsupported_media_type', 'Send the body as application/json.'],
};

interface HttpishError { status?: number; statusCode?: number; expose?: boolean; message?: string }

export function errorHandler(): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      if (err instanceof DomainError) {
        ctx.status = STATUS[err.kind];
        if (err instanceof RateLimited && err.retryAfterS !== undefined) ctx.set('Retry-After', String(Math.max(1, Math.ceil(err.retryAfterS))));
        ctx.body = { error: { code: err.code, message: err.message, ...err.details } };
        return;
      }
      const e = err as HttpishError;
      const status = e.status ?? e.statusCode;
      if (status && status >= 400 && status < 500) {
        const [code, message] = HTTP_CODES[status] ?? ['bad_request', e.expose && e.message ? e.message : 'Bad request.'];
        ctx.status = status;
        ctx.body = { error: { code, message } };
        return;
      }
      ctx.state.log?.error({ err }, 'unhandled error');
      ctx.status = 500;
      ctx.body = { error: { code: 'internal_error', message: 'Something went wrong on our side; it has been logged.' } };
    }
  };
}

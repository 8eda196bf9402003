// Typed failures of API calls: the server's `{error:{code,message}}`, timeouts and network errors. The
// server's own messages are shown as it sends them; the ones made here speak the phone's language.
import { t } from '../lib/i18n';

/** The server answered with an error status (design.md: `{ error: { code, message } }`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** 409 room_ended carries where the recording is */
    readonly replay: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** No answer within the timeout. */
export class ApiTimeout extends Error {
  constructor(readonly url: string, readonly timeoutMs: number) {
    super(t('error.timeout', { s: Math.round(timeoutMs / 1000) }));
    this.name = 'ApiTimeout';
  }
}

/** The request never reached the server (offline, DNS, TLS, domain not in the legal list…). */
export class NetworkError extends Error {
  constructor(readonly url: string, readonly errMsg: string) {
    super(t('error.network'));
    this.name = 'NetworkError';
  }
}

export type ApiFailure = ApiError | ApiTimeout | NetworkError;

export const isApiError = (e: unknown, code?: string): e is ApiError =>
  e instanceof ApiError && (code === undefined || e.code === code);

/** A sentence fit for a toast or an error state. */
export function describeError(e: unknown): string {
  if (e instanceof ApiError || e instanceof ApiTimeout || e instanceof NetworkError) return e.message;
  return t('error.generic');
}

/** Reads an error body; anything that is not the documented shape becomes a generic `http_<status>`. */
export function toApiError(status: number, body: unknown): ApiError {
  const err = body && typeof body === 'object' ? (body as { error?: unknown }).error : undefined;
  if (err && typeof err === 'object') {
    const { code, message, replay } = err as { code?: unknown; message?: unknown; replay?: unknown };
    if (typeof code === 'string' && code) {
      return new ApiError(status, code, typeof message === 'string' && message ? message : t('error.requestFailed', { status }),
        typeof replay === 'string' ? replay : null);
    }
  }
  return new ApiError(status, `http_${status}`, t('error.serverAnswered', { status }));
}

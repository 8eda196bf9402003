// Same-origin JSON client for the wxlive HTTP API; failures become ApiError carrying the server's error code.
import type { ApiErrorBody } from '../../typings/api';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: ApiErrorBody | null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface CallOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  token?: string;
  /** sent as JSON */
  body?: unknown;
  /** give up after this long: a poll must never hang forever on a dead connection */
  timeoutMs?: number;
}

/** Calls the API and returns the parsed JSON body typed as T, or throws ApiError (status 0 = no answer). */
export async function api<T>(path: string, opts: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), opts.timeoutMs ?? 10000);
  let res: Response;
  try {
    res = await fetch(path, {
      method: opts.method ?? 'GET', headers, cache: 'no-store', signal: abort.signal,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
  } catch {
    throw new ApiError(0, 'network_error', 'The server could not be reached.', null);
  } finally {
    clearTimeout(timer);
  }
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // not JSON (a proxy's error page): keep null and report the status below
  }
  if (res.ok) return body as T;
  const error = (body as ApiErrorBody | null)?.error;
  throw new ApiError(res.status, error?.code ?? `http_${res.status}`, error?.message ?? `The server answered ${res.status}.`,
    error ? (body as ApiErrorBody) : null);
}

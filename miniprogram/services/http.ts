// Typed JSON over wx.request: base URL, bearer token, timeouts, and `{error}` bodies → ApiError.
import { ApiTimeout, NetworkError, toApiError } from './api-error';
import type { WxPort } from './wx-port';
import { buildQuery, joinUrl, type QueryValue } from '../lib/urls';

export interface HttpOptions {
  baseUrl: string;
  timeoutMs: number;
  wx: () => WxPort;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RequestSpec {
  method: HttpMethod;
  path: string;
  query?: Readonly<Record<string, QueryValue>>;
  body?: object;
  /** raw bytes instead of a JSON body (POST and PUT), e.g. an image upload */
  raw?: { data: ArrayBuffer; contentType: string };
  token?: string;
}

export class HttpClient {
  constructor(private readonly opts: HttpOptions) {}

  get baseUrl(): string { return this.opts.baseUrl; }

  request<T>(spec: RequestSpec): Promise<T> {
    const url = joinUrl(this.opts.baseUrl, spec.path) + buildQuery(spec.query ?? {});
    const hasBody = spec.method === 'POST' || spec.method === 'PUT';
    const header: Record<string, string> = { Accept: 'application/json' };
    // POST and PUT send a JSON object (so the server's body parser sees application/json) or the raw bytes given
    if (hasBody) header['Content-Type'] = spec.raw ? spec.raw.contentType : 'application/json';
    if (spec.token) header.Authorization = `Bearer ${spec.token}`;
    const timeoutMs = this.opts.timeoutMs;
    return new Promise<T>((resolve, reject) => {
      this.opts.wx().request({
        url,
        method: spec.method,
        data: hasBody ? (spec.raw ? spec.raw.data : { ...(spec.body ?? {}) }) : undefined,
        header,
        timeout: timeoutMs,
        dataType: 'json',
        success: (res) => {
          const data = parseMaybeJson(res.data);
          if (res.statusCode >= 200 && res.statusCode < 300) resolve(data as T);
          else reject(toApiError(res.statusCode, data));
        },
        fail: (err) => {
          const msg = err && typeof err.errMsg === 'string' ? err.errMsg : 'request:fail';
          reject(/timeout/i.test(msg) ? new ApiTimeout(url, timeoutMs) : new NetworkError(url, msg));
        },
      });
    });
  }
}

/** wx.request parses JSON itself, except when the body is not JSON; keep strings that are not JSON. */
function parseMaybeJson(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  try { return JSON.parse(data); } catch { return data; }
}


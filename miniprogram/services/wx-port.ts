// The slice of the `wx` API the services use, as a port: the app passes the real `wx` (app.ts checks at
// compile time that `WechatMiniprogram.Wx` satisfies it), tests pass a shim.

export interface WxRequestSuccess {
  statusCode: number;
  data: unknown;
  header?: Record<string, unknown>;
}

export interface WxRequestOptions {
  url: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** a JSON object, or raw bytes (sent as they are, with the header's Content-Type) */
  data?: Record<string, unknown> | ArrayBuffer;
  header?: Record<string, string>;
  /** ms; wx.request fails with errMsg "request:fail timeout" */
  timeout?: number;
  dataType?: 'json';
  success?: (res: WxRequestSuccess) => void;
  fail?: (err: { errMsg: string }) => void;
}

export interface WxLoginOptions {
  timeout?: number;
  success?: (res: { code: string }) => void;
  fail?: (err: { errMsg: string }) => void;
}

export interface WxPort {
  request(options: WxRequestOptions): unknown;
  login(options: WxLoginOptions): unknown;
  getStorageSync(key: string): unknown;
  setStorageSync(key: string, data: unknown): void;
  removeStorageSync(key: string): void;
}

/** The global `wx` as a port (looked up lazily so modules load in tests before a shim is installed). */
export function globalWx(): WxPort {
  const g = (typeof globalThis !== 'undefined' ? globalThis : {}) as { wx?: WxPort };
  if (!g.wx) throw new Error('wx is not available');
  return g.wx;
}

// A `wx` shim over Node's HTTP (fetch), with wx.request's semantics: JSON body for objects, JSON-parsed
// answers for dataType json, `fail({errMsg})` on network errors and timeouts. wx.login returns a code.
import type { WxLoginOptions, WxPort, WxRequestOptions } from '../../../miniprogram/services/wx-port';

export function nodeWx(loginCode = 'contract-host'): WxPort & { storage: Map<string, unknown> } {
  const storage = new Map<string, unknown>();
  return {
    storage,
    request(o: WxRequestOptions) {
      const signal = AbortSignal.timeout(o.timeout ?? 60_000);
      // raw bytes go as they are (wx.request does the same for an ArrayBuffer), objects as JSON
      const raw = Object.prototype.toString.call(o.data) === '[object ArrayBuffer]';
      const body = (o.method === 'POST' || o.method === 'PUT') && o.data !== undefined ? (raw ? Buffer.from(o.data as ArrayBuffer) : JSON.stringify(o.data)) : undefined;
      fetch(o.url, { method: o.method, headers: o.header, body, signal })
        .then(async (res) => {
          const text = await res.text();
          let data: unknown = text;
          if (o.dataType === 'json') { try { data = JSON.parse(text); } catch { /* wx keeps the raw text */ } }
          const header: Record<string, string> = {};
          res.headers.forEach((v, k) => { header[k] = v; });
          o.success?.({ statusCode: res.status, data, header });
        })
        .catch((err: Error) => {
          o.fail?.({ errMsg: err.name === 'TimeoutError' ? 'request:fail timeout' : `request:fail ${err.message}` });
        });
      return {};
    },
    login(o: WxLoginOptions) {
      setTimeout(() => o.success?.({ code: loginCode }), 0);
      return undefined;
    },
    getStorageSync: (key) => (storage.has(key) ? storage.get(key) : ''),
    setStorageSync: (key, data) => { storage.set(key, data); },
    removeStorageSync: (key) => { storage.delete(key); },
  };
}

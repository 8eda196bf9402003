// The app-wide API client, wired to the global `wx` and CONFIG (pages import this; tests build their own).
import { CONFIG } from '../config';
import { WxliveApi } from './api';
import { HttpClient } from './http';
import { Session } from './session';
import { globalWx, type WxPort } from './wx-port';

export function createApi(baseUrl: string = CONFIG.apiBase, wx: () => WxPort = globalWx): WxliveApi {
  const http = new HttpClient({ baseUrl, timeoutMs: CONFIG.requestTimeoutMs, wx });
  return new WxliveApi(http, new Session({ http, wx, loginTimeoutMs: CONFIG.loginTimeoutMs }));
}

let shared: WxliveApi | null = null;

/** One client for the whole app, so the session's in-flight sign-in is shared by every page. */
export function api(): WxliveApi {
  if (!shared) shared = createApi();
  return shared;
}

// A scripted `wx` for tests: wx.request answers from a route table of recorded API responses,
// wx.login hands out codes, storage is a Map, wx.connectSocket hands out scripted sockets (FakeSocket).
// Every request and socket is recorded for assertions.
import type { WxLoginOptions, WxPort, WxRequestOptions } from '../../../miniprogram/services/wx-port';
import type { ConnectSocketOptions, SocketPort } from '../../../miniprogram/services/room-socket';
import { FakeSocket } from './fake-socket';

export type Reply =
  | { status: number; body: unknown }
  | { fail: string };

export type Route = Reply | ((req: RecordedRequest) => Reply);

export interface RecordedRequest {
  method: string;
  url: string;
  path: string;
  query: Record<string, string>;
  header: Record<string, string>;
  data: unknown;
  timeout?: number;
}

export class FakeWx implements WxPort, SocketPort {
  readonly requests: RecordedRequest[] = [];
  readonly sockets: FakeSocket[] = [];
  readonly storage = new Map<string, unknown>();
  private readonly routes = new Map<string, Route[]>();
  private loginCount = 0;

  /** Queue replies for "METHOD /path" (no query); the last one repeats. */
  on(key: string, ...replies: Route[]): this {
    this.routes.set(key, replies);
    return this;
  }

  request(o: WxRequestOptions): unknown {
    const u = new URL(o.url);
    const query: Record<string, string> = {};
    u.searchParams.forEach((v, k) => { query[k] = v; });
    const req: RecordedRequest = {
      method: o.method, url: o.url, path: u.pathname, query, header: { ...(o.header ?? {}) }, data: o.data, timeout: o.timeout,
    };
    this.requests.push(req);
    const key = `${o.method} ${u.pathname}`;
    const queue = this.routes.get(key);
    const route = queue && queue.length ? (queue.length > 1 ? queue.shift()! : queue[0]) : { status: 404, body: { error: { code: 'not_found', message: `no fake route for ${key}` } } };
    const reply = typeof route === 'function' ? route(req) : route;
    // wx.request answers asynchronously
    setTimeout(() => {
      if ('fail' in reply) o.fail?.({ errMsg: reply.fail });
      else o.success?.({ statusCode: reply.status, data: reply.body, header: {} });
    }, 0);
    return {};
  }

  login(o: WxLoginOptions): unknown {
    this.loginCount += 1;
    const code = `code-${this.loginCount}`;
    setTimeout(() => o.success?.({ code }), 0);
    return undefined;
  }

  get logins(): number { return this.loginCount; }

  getStorageSync(key: string): unknown { return this.storage.has(key) ? this.storage.get(key) : ''; }
  setStorageSync(key: string, data: unknown): void { this.storage.set(key, data); }
  removeStorageSync(key: string): void { this.storage.delete(key); }

  /** Opens nothing by itself: the test calls `open()` on the socket (like a server accepting it). */
  connectSocket(o: ConnectSocketOptions): FakeSocket {
    const socket = new FakeSocket(o.url);
    this.sockets.push(socket);
    return socket;
  }

  /** the newest socket */
  get socket(): FakeSocket | undefined { return this.sockets[this.sockets.length - 1]; }

  /** requests to one path */
  to(path: string): RecordedRequest[] { return this.requests.filter((r) => r.path === path); }
}

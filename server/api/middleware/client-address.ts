// Who the client is: the socket's address, or the one a trusted proxy (TRUSTED_PROXIES) names in
// X-Forwarded-For. Anyone else's X-Forwarded-* headers are ignored: per-IP limits, viewer counts and
// issued URLs must not follow a header any client can write.
import type { IncomingMessage } from 'node:http';
import type { Middleware } from 'koa';
import proxyaddr from 'proxy-addr';
import type { AppState } from '../deps';

export interface AddressOf {
  (req: IncomingMessage): string;
  /** the request came straight from a trusted proxy */
  viaProxy(req: IncomingMessage): boolean;
  /** the address is one of TRUSTED_PROXIES */
  trusts(address: string): boolean;
}

export function addressOf(trustedProxies: readonly string[]): AddressOf {
  const trust = proxyaddr.compile([...trustedProxies]);
  const none = trustedProxies.length === 0;
  const of = ((req: IncomingMessage) => (none ? req.socket.remoteAddress ?? '' : proxyaddr(req, trust))) as AddressOf;
  of.trusts = (address) => !none && trust(address, 0);
  of.viaProxy = (req) => of.trusts(req.socket.remoteAddress ?? '');
  return of;
}

export function clientAddress(trustedProxies: readonly string[]): Middleware<AppState> {
  const of = addressOf(trustedProxies);
  return async (ctx, next) => {
    ctx.request.ip = of(ctx.req);
    ctx.state.viaTrustedProxy = of.viaProxy(ctx.req);
    await next();
  };
}

// Who the client is: the socket's address, or the one a trusted proxy (TRUSTED_PROXIES) names in
// X-Forwarded-For. Anyone else's X-Forwarded-* headers are ignored: per-IP limits, viewer counts and
// issued URLs must not follow a header any client can write.
import type { Middleware } from 'koa';
import proxyaddr from 'proxy-addr';
import type { AppState } from '../deps';

export function clientAddress(trustedProxies: readonly string[]): Middleware<AppState> {
  const trust = proxyaddr.compile([...trustedProxies]);
  return async (ctx, next) => {
    ctx.request.ip = proxyaddr(ctx.req, trust);
    ctx.state.viaTrustedProxy = trust(ctx.req.socket.remoteAddress ?? '', 0);
    await next();
  };
}

// Public bases for issued URLs: configured, or derived from the Host the client used to reach us (the
// X-Forwarded-Host / X-Forwarded-Proto a trusted proxy sends, when the request came through one).
import type { Context } from 'koa';
import type { UrlBases } from '../rooms/ports';
import type { ApiDeps } from './deps';

/** The first value of a comma-separated header, or '' (a chain of proxies lists the client's view first). */
const firstValue = (header: string) => header.split(',', 1)[0]!.trim();

export function urlBases(ctx: Context, deps: Pick<ApiDeps, 'publicHttpUrl' | 'publicRtmpUrl' | 'rtmpPort'>): UrlBases {
  const proxied = ctx.state.viaTrustedProxy === true;
  const forwardedProto = proxied ? firstValue(ctx.get('X-Forwarded-Proto')).toLowerCase() : '';
  const protocol = forwardedProto === 'http' || forwardedProto === 'https' ? forwardedProto : ctx.protocol;
  const host = (proxied && firstValue(ctx.get('X-Forwarded-Host'))) || ctx.host || 'localhost';
  // an IPv6 literal keeps its brackets ("[::1]:8080" → "[::1]")
  const hostname = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':', 1)[0]!;
  return {
    http: deps.publicHttpUrl ?? `${protocol}://${host}`,
    rtmp: deps.publicRtmpUrl ?? `rtmp://${hostname}:${deps.rtmpPort}/live`,
  };
}

// Public bases for issued URLs: configured, or derived from the Host the client used to reach us.
import type { Context } from 'koa';
import type { UrlBases } from '../rooms/ports';
import type { ApiDeps } from './deps';

export function urlBases(ctx: Context, deps: Pick<ApiDeps, 'publicHttpUrl' | 'publicRtmpUrl' | 'rtmpPort'>): UrlBases {
  const hostname = ctx.hostname || 'localhost';
  // Koa keeps the brackets of an IPv6 literal ("[::1]"); add them only where they are missing
  const rtmpHost = hostname.includes(':') && !hostname.startsWith('[') ? `[${hostname}]` : hostname;
  return {
    http: deps.publicHttpUrl ?? `${ctx.protocol}://${ctx.host || 'localhost'}`,
    rtmp: deps.publicRtmpUrl ?? `rtmp://${rtmpHost}:${deps.rtmpPort}/live`,
  };
}

// Public bases for issued URLs: configured, or derived from the Host the client used to reach us.
import type { Context } from 'koa';
import type { UrlBases } from '../rooms/ports';
import type { ApiDeps } from './deps';

export function urlBases(ctx: Context, deps: Pick<ApiDeps, 'publicHttpUrl' | 'publicRtmpUrl' | 'rtmpPort'>): UrlBases {
  const hostname = ctx.hostname || 'localhost';
  return {
    http: deps.publicHttpUrl ?? `${ctx.protocol}://${ctx.host || 'localhost'}`,
    rtmp: deps.publicRtmpUrl ?? `rtmp://${hostname.includes(':') ? `[${hostname}]` : hostname}:${deps.rtmpPort}/live`,
  };
}

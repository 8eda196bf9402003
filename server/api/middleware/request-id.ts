// Request ids: kept from a sane incoming X-Request-Id (a proxy's), otherwise made here; echoed back.
import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';

export function requestId(): Middleware {
  return async (ctx, next) => {
    const given = ctx.get('X-Request-Id');
    const id = /^[\w.:-]{1,64}$/.test(given) ? given : randomUUID();
    ctx.state.requestId = id;
    ctx.set('X-Request-Id', id);
    await next();
  };
}

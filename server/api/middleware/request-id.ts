// Request ids: kept from a sane incoming X-Request-Id (a proxy's), otherwise made here; echoed back.
import type { Middleware } from 'koa';
import { requestIdOf } from '../request-ids';

export function requestId(): Middleware {
  return async (ctx, next) => {
    const id = requestIdOf(ctx.get('X-Request-Id'));
    ctx.state.requestId = id;
    ctx.set('X-Request-Id', id);
    await next();
  };
}

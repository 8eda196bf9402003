// Requests no route answered get the JSON error shape too: 404 for unknown paths, 405 for a known path
// with a method it does not take (the routers' allowedMethods set the status and Allow, not a JSON body).
import type { Middleware } from 'koa';

export function unmatched(): Middleware {
  return async (ctx, next) => {
    await next();
    if (ctx.respond === false || ctx.headerSent) return; // a route that wrote the response itself (media streams)
    if (ctx.status === 404 && ctx.body == null) {
      ctx.status = 404; // explicit, or setting the body would turn it into a 200
      ctx.body = { error: { code: 'not_found', message: `Nothing at ${ctx.method} ${ctx.path}.` } };
    } else if (ctx.status === 405 || ctx.status === 501) {
      // an unknown method is the client's mistake like any other (501 would read as our failure)
      ctx.status = 405;
      ctx.body = { error: { code: 'method_not_allowed', message: `${ctx.method} is not allowed here; use ${ctx.response.get('Allow')}.` } };
    }
  };
}

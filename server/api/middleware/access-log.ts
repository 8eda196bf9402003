// One pino line per request. Query strings are dropped: they carry signatures.
import type { Middleware } from 'koa';
import type { Logger } from 'pino';

export function accessLog(log: Logger): Middleware {
  return async (ctx, next) => {
    const start = process.hrtime.bigint();
    ctx.state.log = log.child({ reqId: ctx.state.requestId });
    try {
      await next();
    } finally {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      // long-lived media responses log when they start; their end is logged by the media layer
      ctx.state.log.info({ method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(ms * 10) / 10 }, 'request');
    }
  };
}

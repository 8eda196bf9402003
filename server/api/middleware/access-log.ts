// One pino line per request. Query strings are dropped: they carry signatures.
import type { Middleware } from 'koa';
import type { Logger } from 'pino';

export function accessLog(log: Logger): Middleware {
  return async (ctx, next) => {
    const start = process.hrtime.bigint();
    // the request's child logger is made on first use: a media request at LOG_LEVEL=warn never needs one
    let child: Logger | undefined;
    Object.defineProperty(ctx.state, 'log', {
      get: () => (child ??= log.child({ reqId: ctx.state.requestId })), configurable: true, enumerable: true,
    });
    try {
      await next();
    } finally {
      // long-lived media responses log when they start; their end is logged by the media layer
      if (log.isLevelEnabled('info')) {
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        ctx.state.log.info({ method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(ms * 10) / 10 }, 'request');
      }
    }
  };
}

// The one place errors of Koa routes become responses (server/api/error-answer.ts says how).
import type { Middleware } from 'koa';
import { errorAnswer } from '../error-answer';

export function errorHandler(): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const answer = errorAnswer(err);
      if (answer.unexpected) ctx.state.log?.error({ err }, 'unhandled error');
      ctx.status = answer.status;
      if (answer.retryAfter) ctx.set('Retry-After', answer.retryAfter);
      if (answer.closes) ctx.set('Connection', 'close');
      ctx.body = answer.body;
    }
  };
}

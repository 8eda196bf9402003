// Health, login and metrics.
import Router from '@koa/router';
import type { HealthResponse, LoginResponse } from '../../../typings/api';
import type { ApiDeps, AppState } from '../deps';
import { loginBody } from '../schemas';
import { parse } from '../validate';

export function basicsRouter(deps: ApiDeps): Router<AppState> {
  const router = new Router<AppState>();

  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' } satisfies HealthResponse;
  });

  router.post('/api/auth/login', async (ctx) => {
    const { code } = parse(loginBody, ctx.request.body);
    ctx.body = (await deps.login.login(code)) satisfies LoginResponse;
  });

  router.get('/metrics', async (ctx) => {
    ctx.type = deps.metrics.contentType;
    ctx.body = await deps.metrics.metrics();
  });

  return router;
}

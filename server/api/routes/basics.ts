// Health, login and metrics (behind the admin token unless METRICS_PUBLIC=on).
import Router from '@koa/router';
import type { HealthResponse, LoginResponse } from '../../../typings/api';
import type { ApiDeps, AppState } from '../deps';
import { requireAdmin } from '../middleware/auth';
import { loginBody } from '../schemas';
import { parse } from '../validate';

export function basicsRouter(deps: ApiDeps): Router<AppState> {
  const router = new Router<AppState>();

  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' } satisfies HealthResponse;
  });

  router.post('/api/auth/login', async (ctx) => {
    const { code } = parse(loginBody, ctx.request.body);
    ctx.body = (await deps.login.login(code, ctx.ip)) satisfies LoginResponse;
  });

  // refusal counts, memory and open files tell an attacker how close a limit is: admins only by default
  const metricsGate = deps.metricsPublic ? [] : [requireAdmin(deps.adminToken)];
  router.get('/metrics', ...metricsGate, async (ctx) => {
    ctx.type = deps.metrics.contentType;
    ctx.body = await deps.metrics.metrics();
  });

  return router;
}

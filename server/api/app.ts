// The Koa application: middleware in order, then the API routers, then any extra routers (media, pages).
import cors from '@koa/cors';
import Koa from 'koa';
import type { ApiDeps, AppState } from './deps';
import { accessLog } from './middleware/access-log';
import { jsonBody } from './middleware/body';
import { clientAddress } from './middleware/client-address';
import { errorHandler } from './middleware/error-handler';
import { requestId } from './middleware/request-id';
import { unmatched } from './middleware/unmatched';
import { docsRouter } from './openapi/docs-router';
import { adminRouter } from './routes/admin';
import { basicsRouter } from './routes/basics';
import { cohostsRouter } from './routes/cohosts';
import { coverRouter } from './routes/cover';
import { replaysRouter } from './routes/replays';
import { roomsRouter } from './routes/rooms';
import { videosRouter } from './routes/videos';

export function createApp(deps: ApiDeps): Koa<AppState> {
  const app = new Koa<AppState>();
  app.silent = true; // errors are logged by errorHandler, never printed by Koa

  app.use(clientAddress(deps.trustedProxies ?? []));
  app.use(requestId());
  app.use(accessLog(deps.log));
  app.use(errorHandler());
  app.use(cors({ exposeHeaders: ['X-Request-Id'], maxAge: 600 }));
  app.use(unmatched());
  app.use(jsonBody());

  const covers = deps.covers ? [coverRouter(deps, deps.covers)] : [];
  if (deps.cohosts) covers.push(cohostsRouter(deps, deps.cohosts, deps.onLimit));
  if (deps.videos) covers.push(videosRouter(deps, deps.videos));
  if (deps.replays) covers.push(replaysRouter(deps, deps.replays));
  for (const router of [basicsRouter(deps), roomsRouter(deps), ...covers, adminRouter(deps),
    docsRouter({ publicHttpUrl: deps.publicHttpUrl }), ...(deps.extraRouters ?? [])]) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  return app;
}

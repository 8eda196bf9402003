// A room's replays (issue 14): anyone lists the public ones; the host or the admin also sees (and hides or shows)
// the hidden ones, whose URLs come signed. Sign-in is optional on the list: a bad token is still a 401.
import Router from '@koa/router';
import type { Middleware } from 'koa';
import type { ReplayListResponse, ReplayResponse } from '../../../typings/vod';
import { bearerToken, isAdminToken } from '../../auth/admin-token';
import { Unauthorized } from '../../errors';
import type { Actor } from '../../rooms/ports';
import type { ReplayService } from '../../vod/replay-service';
import type { ApiDeps, AppState } from '../deps';
import { requireUserOrAdmin } from '../middleware/auth';
import { urlBases } from '../url-bases';
import { parse } from '../validate';
import { replayPatchBody } from '../vod-schemas';
import { roomIdOf } from './rooms';

function optionalActor(deps: ApiDeps): Middleware<AppState> {
  return async (ctx, next) => {
    const token = bearerToken(ctx.get('Authorization'));
    if (token && isAdminToken(deps.adminToken, token)) ctx.state.actor = { kind: 'admin' };
    else if (token) {
      const user = deps.login.verify(token);
      if (!user) throw new Unauthorized('The session token is invalid or expired; sign in again.');
      ctx.state.user = user;
      ctx.state.actor = { kind: 'user', userId: user.id };
    }
    await next();
  };
}

export function replaysRouter(deps: ApiDeps, replays: ReplayService): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/rooms/:id/replays' });

  router.get('/', optionalActor(deps), async (ctx) => {
    const actor: Actor | null = ctx.state.actor ?? null;
    ctx.body = { replays: await replays.list(roomIdOf(ctx.params.id ?? ''), actor, urlBases(ctx, deps).http) } satisfies ReplayListResponse;
  });

  router.patch('/:broadcastId', requireUserOrAdmin(deps.login, deps.adminToken), async (ctx) => {
    const body = parse(replayPatchBody, ctx.request.body);
    const replay = await replays.setPublic(roomIdOf(ctx.params.id ?? ''), ctx.params.broadcastId ?? '', body.public,
      ctx.state.actor!, urlBases(ctx, deps).http);
    ctx.body = { replay } satisfies ReplayResponse;
  });

  return router;
}

// Co-hosting over HTTP (issue 15): the line-up (and, for the host or admin, the requests), accept, decline or
// remove, and the accepted guest's own push ticket. Requests themselves come on the room socket.
import Router from '@koa/router';
import { z } from 'zod';
import type { CohostPushResponse, CohostsResponse } from '../../../typings/cohost';
import { bearerToken, isAdminToken } from '../../auth/admin-token';
import { DomainError, RoomNotFound } from '../../errors';
import { PerMinute } from '../../limits/per-minute';
import type { CohostService } from '../../rooms/cohosts/cohost-service';
import type { Actor } from '../../rooms/ports';
import { userIdParam } from '../chat-schemas';
import type { ApiDeps, AppState } from '../deps';
import { requireUser, requireUserOrAdmin } from '../middleware/auth';
import { roomIdParam } from '../schemas';
import { urlBases } from '../url-bases';
import { parse } from '../validate';

export const cohostAcceptBody = z.object({ userId: userIdParam }).strict();

/** answers and push tickets per user per minute: a host taps, a guest's app re-asks after a drop, nobody needs more */
export const COHOST_CALLS_PER_USER_PER_MIN = 60;

function roomIdOf(raw: string): string {
  const id = roomIdParam.safeParse(raw);
  if (!id.success) throw new RoomNotFound(String(raw).slice(0, 64));
  return id.data;
}

export function cohostsRouter(deps: ApiDeps, cohosts: CohostService, onLimit?: (reason: string, key: string) => void): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/rooms' });
  const user = requireUser(deps.login);
  const hostOrAdmin = requireUserOrAdmin(deps.login, deps.adminToken);
  const perUser = new PerMinute(COHOST_CALLS_PER_USER_PER_MIN, {
    code: 'cohost_rate_user', message: 'Too many co-hosting calls; try again in {s} s.',
  }, onLimit);
  const limited = async (actor: Actor) => { if (actor.kind === 'user') await perUser.take(actor.userId); };

  router.get('/:id/cohosts', async (ctx) => {
    // anyone sees the line-up; a valid host or admin token also shows the requests (a bad token is just anyone)
    const token = bearerToken(ctx.get('Authorization'));
    const session = token ? deps.login.verify(token) : null;
    const actor: Actor | null = token && isAdminToken(deps.adminToken, token) ? { kind: 'admin' }
      : session ? { kind: 'user', userId: session.id } : null;
    ctx.body = (await cohosts.view(roomIdOf(ctx.params.id), actor)) satisfies CohostsResponse;
  });

  router.post('/:id/cohosts/push', user, async (ctx) => {
    const roomId = roomIdOf(ctx.params.id);
    await limited(ctx.state.actor!);
    ctx.body = (await cohosts.pushTicket(roomId, ctx.state.user!.id, urlBases(ctx, deps))) satisfies CohostPushResponse;
  });

  router.post('/:id/cohosts', hostOrAdmin, async (ctx) => {
    const roomId = roomIdOf(ctx.params.id);
    const { userId } = parse(cohostAcceptBody, ctx.request.body);
    await limited(ctx.state.actor!);
    ctx.body = (await cohosts.accept(roomId, userId, ctx.state.actor!)) satisfies CohostsResponse;
  });

  router.delete('/:id/cohosts/:userId', hostOrAdmin, async (ctx) => {
    const roomId = roomIdOf(ctx.params.id);
    const userId = userIdParam.safeParse(ctx.params.userId);
    if (!userId.success) {
      await cohosts.view(roomId, null); // 404 room_not_found first, as for a well-formed id
      throw new DomainError('not_found', 'cohost_not_found', 'No such co-host or request in this room.');
    }
    await limited(ctx.state.actor!);
    ctx.body = (await cohosts.remove(roomId, userId.data, ctx.state.actor!)) satisfies CohostsResponse;
  });

  return router;
}

// Admin endpoints (Bearer ADMIN_TOKEN): every room with live stats, ending rooms, server stats and their history.
import Router from '@koa/router';
import { z } from 'zod';
import type { AdminRoom, AdminRoomListResponse, AdminStatsResponse, RoomResponse, RoomStatus, StatsHistoryResponse } from '../../../typings/api';
import { ROOM_STATUSES } from '../../../typings/api';
import { NO_VIEWERS } from '../../rooms/ports';
import { roomView } from '../../rooms/room-view';
import { NO_HISTORY } from '../../stats/stats-history';
import type { ApiDeps, AppState } from '../deps';
import { requireAdmin } from '../middleware/auth';
import { listQuery, roomIdParam } from '../schemas';
import { parse } from '../validate';
import { roomIdOf } from './rooms';

/** ?roomId= narrows the history to one stream */
export const statsHistoryQuery = z.object({ roomId: roomIdParam.optional() });

export function adminRouter(deps: ApiDeps): Router<AppState> {
  const { rooms, stats } = deps;
  const view = roomView(deps.viewers ?? NO_VIEWERS);
  const router = new Router<AppState>({ prefix: '/api/admin' });
  router.use(requireAdmin(deps.adminToken));

  router.get('/rooms', async (ctx) => {
    const page = await rooms.list(parse(listQuery, ctx.query, 'query'));
    const list: AdminRoom[] = page.rooms.map((r) => ({ ...view(r), stream: r.status === 'live' ? stats.stream(r.id) : null }));
    ctx.body = { rooms: list, nextCursor: page.nextCursor } satisfies AdminRoomListResponse;
  });

  router.post('/rooms/:id/end', async (ctx) => {
    ctx.body = { room: view(await rooms.end(roomIdOf(ctx.params.id), ctx.state.actor!)) } satisfies RoomResponse;
  });

  router.delete('/rooms/:id', async (ctx) => {
    await rooms.delete(roomIdOf(ctx.params.id), ctx.state.actor!);
    ctx.status = 204;
  });

  router.get('/stats', async (ctx) => {
    const counts = await Promise.all(ROOM_STATUSES.map((s) => rooms.count(s)));
    const byStatus = Object.fromEntries(ROOM_STATUSES.map((s, i) => [s, counts[i]])) as Record<RoomStatus, number>;
    ctx.body = {
      uptimeS: Math.round((Date.now() - deps.startedAt) / 1000),
      rooms: byStatus,
      ...stats.snapshot(),
    } satisfies AdminStatsResponse;
  });

  router.get('/stats/history', (ctx) => {
    const { roomId } = parse(statsHistoryQuery, ctx.query, 'query');
    ctx.body = (deps.history ?? NO_HISTORY).view(roomId) satisfies StatsHistoryResponse;
  });

  return router;
}

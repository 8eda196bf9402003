// Room endpoints of design.md §3: create, list, get, push ticket, play URLs, end.
import Router from '@koa/router';
import type { CreateRoomResponse, PlayResponse, PushResponse, RoomListResponse, RoomResponse } from '../../../typings/api';
import { RoomNotFound } from '../../errors';
import { NO_VIEWERS } from '../../rooms/ports';
import { roomView } from '../../rooms/room-view';
import type { ApiDeps, AppState } from '../deps';
import { requireUser, requireUserOrAdmin } from '../middleware/auth';
import { createRoomBody, listQuery, roomIdParam } from '../schemas';
import { urlBases } from '../url-bases';
import { parse } from '../validate';

export function roomIdOf(raw: string): string {
  const r = roomIdParam.safeParse(raw);
  if (!r.success) throw new RoomNotFound(raw.slice(0, 64));
  return r.data;
}

export function roomsRouter(deps: ApiDeps): Router<AppState> {
  const { rooms, login } = deps;
  const view = roomView(deps.viewers ?? NO_VIEWERS);
  const router = new Router<AppState>({ prefix: '/api/rooms' });
  const user = requireUser(login);
  const hostOrAdmin = requireUserOrAdmin(login, deps.adminToken);

  router.post('/', user, async (ctx) => {
    const input = parse(createRoomBody, ctx.request.body);
    const room = await rooms.create(ctx.state.user!.id, input, { address: ctx.ip });
    const push = await rooms.pushTicket(room.id, { kind: 'user', userId: room.hostId }, urlBases(ctx, deps));
    ctx.status = 201;
    ctx.body = { room: view(room), push } satisfies CreateRoomResponse;
  });

  router.get('/', async (ctx) => {
    const q = parse(listQuery, ctx.query, 'query');
    const page = await rooms.list(q);
    ctx.body = { rooms: page.rooms.map(view), nextCursor: page.nextCursor } satisfies RoomListResponse;
  });

  router.get('/:id', async (ctx) => {
    ctx.body = { room: view(await rooms.get(roomIdOf(ctx.params.id))) } satisfies RoomResponse;
  });

  router.post('/:id/push', user, async (ctx) => {
    const push = await rooms.pushTicket(roomIdOf(ctx.params.id), ctx.state.actor!, urlBases(ctx, deps));
    ctx.body = { push } satisfies PushResponse;
  });

  router.get('/:id/play', async (ctx) => {
    const id = roomIdOf(ctx.params.id);
    const bases = urlBases(ctx, deps);
    const play = await rooms.playUrls(id, bases);
    // co-hosts on the air (issue 15), signed with the same room play signature
    const guests = deps.cohosts ? await deps.cohosts.playUrls(id, bases, Date.parse(play.expiresAt) / 1000) : [];
    ctx.body = { play: guests.length ? { ...play, guests } : play } satisfies PlayResponse;
  });

  // the host ends their room; the admin token works here too
  router.post('/:id/end', hostOrAdmin, async (ctx) => {
    ctx.body = { room: view(await rooms.end(roomIdOf(ctx.params.id), ctx.state.actor!)) } satisfies RoomResponse;
  });

  return router;
}

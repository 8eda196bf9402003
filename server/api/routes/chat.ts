// Chat endpoints over HTTP (issue 13): scroll-back of a room's messages, and the moderation by the room's host
// or the admin. With `auth` the admin, profile and guest routes come along (one router for server.ts to mount).
// The socket itself is room-socket.ts.
import Router from '@koa/router';
import { z } from 'zod';
import type {
  BanResponse, ChatSettingsResponse, DeletedMessageResponse, MessagePageResponse, MuteResponse,
} from '../../../typings/chat';
import type { GuestSessions } from '../../auth/guest-sessions';
import type { LoginService } from '../../auth/login';
import type { ChatService } from '../../chat/chat-service';
import { MESSAGE_ID_PATTERN } from '../../chat/message-ids';
import { RoomNotFound } from '../../errors';
import { MessageNotFound } from '../../chat/chat-moderation';
import { banBody, chatSettingsBody, messageIdParam, muteBody } from '../chat-schemas';
import type { AppState } from '../deps';
import { requireUserOrAdmin } from '../middleware/auth';
import { roomIdParam } from '../schemas';
import { parse } from '../validate';
import { adminChatRouter } from './admin-chat';
import { guestRouter } from './guest';
import { meRouter } from './me';

/** A repeated parameter counts by its last value; an empty one as absent (as in listQuery). */
const oneValue = (v: unknown) => {
  const last: unknown = Array.isArray(v) ? v[v.length - 1] : v;
  return last === '' ? undefined : last;
};

export const messagePageQuery = z.object({
  before: z.preprocess(oneValue, z.string().regex(MESSAGE_ID_PATTERN, 'must be a message id').optional()),
  limit: z.preprocess(oneValue, z.coerce.number().int().min(1).max(100).default(50)),
});

/** What the moderation, profile and guest routes need; without it only the scroll-back is mounted. */
export interface ChatRouteAuth {
  login: LoginService;
  adminToken: string;
  /** guest sessions (GUEST_CHAT=on); left out, POST /api/auth/guest answers 403 guest_chat_off */
  guests?: GuestSessions;
}

function roomIdOf(raw: string): string {
  const id = roomIdParam.safeParse(raw);
  if (!id.success) throw new RoomNotFound(String(raw).slice(0, 64));
  return id.data;
}

export function chatRouter(chat: ChatService, auth?: ChatRouteAuth): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/rooms' });

  router.get('/:id/messages', async (ctx) => {
    const q = parse(messagePageQuery, ctx.query, 'query');
    ctx.body = (await chat.messages(roomIdOf(ctx.params.id), q)) satisfies MessagePageResponse;
  });

  if (!auth) return router;
  const { moderation } = chat;
  // the host of the room (session token) or the admin (ADMIN_TOKEN); anyone else gets 403 not_room_host
  const hostOrAdmin = requireUserOrAdmin(auth.login, auth.adminToken);

  router.delete('/:id/messages/:messageId', hostOrAdmin, async (ctx) => {
    const roomId = roomIdOf(ctx.params.id);
    const id = messageIdParam.safeParse(ctx.params.messageId);
    if (!id.success) {
      await moderation.authorize(roomId, ctx.state.actor!);
      throw new MessageNotFound(String(ctx.params.messageId).slice(0, 64));
    }
    await moderation.deleteMessage(roomId, id.data, ctx.state.actor!);
    ctx.body = { deleted: { roomId, id: id.data } } satisfies DeletedMessageResponse;
  });

  router.post('/:id/mutes', hostOrAdmin, async (ctx) => {
    const roomId = roomIdOf(ctx.params.id);
    const { userId, minutes } = parse(muteBody, ctx.request.body);
    const until = await moderation.mute(roomId, userId, minutes, ctx.state.actor!);
    ctx.body = { mute: { roomId, userId, until: new Date(until).toISOString() } } satisfies MuteResponse;
  });

  router.post('/:id/bans', hostOrAdmin, async (ctx) => {
    const roomId = roomIdOf(ctx.params.id);
    const { userId } = parse(banBody, ctx.request.body);
    await moderation.ban(roomId, userId, ctx.state.actor!);
    ctx.body = { ban: { roomId, userId } } satisfies BanResponse;
  });

  router.put('/:id/chat', hostOrAdmin, async (ctx) => {
    const roomId = roomIdOf(ctx.params.id);
    const settings = await moderation.setSettings(roomId, parse(chatSettingsBody, ctx.request.body), ctx.state.actor!);
    ctx.body = { settings } satisfies ChatSettingsResponse;
  });

  // routers mounted inside this one keep their own full paths
  const outer = new Router<AppState>();
  outer.use(router.routes(), router.allowedMethods());
  for (const r of [adminChatRouter(chat, auth.adminToken), meRouter(chat, auth.login), guestRouter(auth.guests, (nickname) => chat.checkNickname(nickname))]) {
    outer.use(r.routes(), r.allowedMethods());
  }
  return outer;
}

// Chat endpoints over HTTP (issue 13): scroll-back of a room's messages. The socket itself is room-socket.ts.
import Router from '@koa/router';
import { z } from 'zod';
import type { MessagePageResponse } from '../../../typings/chat';
import type { ChatService } from '../../chat/chat-service';
import { MESSAGE_ID_PATTERN } from '../../chat/message-ids';
import { RoomNotFound } from '../../errors';
import type { AppState } from '../deps';
import { roomIdParam } from '../schemas';
import { parse } from '../validate';

/** A repeated parameter counts by its last value; an empty one as absent (as in listQuery). */
const oneValue = (v: unknown) => {
  const last: unknown = Array.isArray(v) ? v[v.length - 1] : v;
  return last === '' ? undefined : last;
};

export const messagePageQuery = z.object({
  before: z.preprocess(oneValue, z.string().regex(MESSAGE_ID_PATTERN, 'must be a message id').optional()),
  limit: z.preprocess(oneValue, z.coerce.number().int().min(1).max(100).default(50)),
});

export function chatRouter(chat: ChatService): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/rooms' });

  router.get('/:id/messages', async (ctx) => {
    const id = roomIdParam.safeParse(ctx.params.id);
    if (!id.success) throw new RoomNotFound(String(ctx.params.id).slice(0, 64));
    const q = parse(messagePageQuery, ctx.query, 'query');
    ctx.body = (await chat.messages(id.data, q)) satisfies MessagePageResponse;
  });

  return router;
}

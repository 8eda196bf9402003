// Admin chat endpoints (issue 13): ban a user everywhere (every room; no sign-in, no new rooms), undo it, list them.
import Router from '@koa/router';
import type { BannedUsersResponse, UserBan, UserBanResponse, UserUnbanResponse } from '../../../typings/chat';
import type { ChatService } from '../../chat/chat-service';
import { DomainError, InvalidInput } from '../../errors';
import type { UserBanRecord } from '../../store/chat-store';
import { userIdParam } from '../chat-schemas';
import type { AppState } from '../deps';
import { requireAdmin } from '../middleware/auth';

const toBan = (b: UserBanRecord): UserBan => ({ userId: b.userId, at: new Date(b.at).toISOString() });

function userIdOf(raw: string): string {
  const id = userIdParam.safeParse(raw);
  if (!id.success) throw new InvalidInput('id: must be a user id');
  return id.data;
}

export function adminChatRouter(chat: ChatService, adminToken: string): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/admin/users' });
  router.use(requireAdmin(adminToken));
  const { moderation } = chat;

  router.get('/banned', async (ctx) => {
    ctx.body = { users: (await moderation.bannedUsers()).map(toBan) } satisfies BannedUsersResponse;
  });

  router.post('/:id/ban', async (ctx) => {
    ctx.body = { ban: toBan(await moderation.banUser(userIdOf(ctx.params.id))) } satisfies UserBanResponse;
  });

  router.delete('/:id/ban', async (ctx) => {
    const userId = userIdOf(ctx.params.id);
    if (!await moderation.unbanUser(userId)) throw new DomainError('not_found', 'ban_not_found', `User "${userId}" is not banned.`);
    ctx.body = { unbanned: { userId } } satisfies UserUnbanResponse;
  });

  return router;
}

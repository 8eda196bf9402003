// Who may sign in and host (issue 13): a user the admin banned everywhere may do neither, and a guest session
// (POST /api/auth/guest) may chat but never host a room. LoginService and RoomService take these as hooks.
import { Forbidden } from '../errors';
import type { ChatStore } from '../store/chat-store';

/** guest session user ids start with this (server/auth/guest-sessions.ts) */
export const GUEST_ID_PREFIX = 'guest_';

export class UserGate {
  constructor(private readonly store: Pick<ChatStore, 'isUserBanned'>) {}

  async assertMaySignIn(userId: string): Promise<void> {
    if (await this.store.isUserBanned(userId)) throw new Forbidden('This account is banned.', 'user_banned');
  }

  async assertMayHost(userId: string): Promise<void> {
    if (userId.startsWith(GUEST_ID_PREFIX)) throw new Forbidden('Guests cannot host rooms; sign in with WeChat.', 'guest_cannot_host');
    await this.assertMaySignIn(userId);
  }
}

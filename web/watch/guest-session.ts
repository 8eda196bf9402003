// The watch page's chat session: a guest session from `POST /api/auth/guest {nickname}`, kept in sessionStorage
// (this tab only, never in the URL) until it expires. The token goes to the socket as its first `auth` frame.
import type { LoginResponse } from '../../typings/api';
import type { GuestRequest } from '../../typings/chat';
import { api } from '../shared/api';

const KEY = 'wxlive.chatSession';

export interface ChatSessionInfo { token: string; nickname: string; expiresAt: string }

export const guestSession = {
  get(): ChatSessionInfo | null {
    try {
      const s = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as ChatSessionInfo | null;
      if (!s || typeof s.token !== 'string' || Date.parse(s.expiresAt) <= Date.now()) return null;
      return s;
    } catch {
      return null; // storage disabled or garbage: the visitor picks a nickname again
    }
  },
  clear(): void {
    try {
      sessionStorage.removeItem(KEY);
    } catch {
      // see get()
    }
  },
  /** Starts a guest session (ApiError 403 guest_chat_off, 429 guest_rate_address, 400 for a bad nickname). */
  async start(nickname: string): Promise<ChatSessionInfo> {
    const r = await api<LoginResponse>('/api/auth/guest', { method: 'POST', body: { nickname } satisfies GuestRequest });
    const s: ChatSessionInfo = { token: r.token, nickname: r.user.nickname ?? nickname, expiresAt: r.expiresAt };
    try {
      sessionStorage.setItem(KEY, JSON.stringify(s));
    } catch {
      // kept in memory by the caller for this page's life
    }
    return s;
  },
};

// `POST /api/auth/guest {nickname}` (issue 13): a guest session for the H5 watch page that may chat, limited per
// client address (429 + Retry-After); GUEST_CHAT=off answers 403 guest_chat_off.
import Router from '@koa/router';
import type { LoginResponse } from '../../../typings/api';
import type { GuestSessions } from '../../auth/guest-sessions';
import { Forbidden } from '../../errors';
import { nicknameBody } from '../chat-schemas';
import type { AppState } from '../deps';
import { parse } from '../validate';

export function guestRouter(guests: GuestSessions | undefined): Router<AppState> {
  const router = new Router<AppState>();

  router.post('/api/auth/guest', async (ctx) => {
    if (!guests) throw new Forbidden('Guest chat is turned off on this server; sign in with WeChat.', 'guest_chat_off');
    const { nickname } = parse(nicknameBody, ctx.request.body);
    ctx.body = (await guests.start(nickname, ctx.ip)) satisfies LoginResponse;
  });

  return router;
}

// `POST /api/auth/guest {nickname}` (issue 13): a guest session for the H5 watch page that may chat, limited per
// client address (429 + Retry-After); GUEST_CHAT=off answers 403 guest_chat_off.
import Router from '@koa/router';
import type { LoginResponse } from '../../../typings/api';
import type { GuestSessions } from '../../auth/guest-sessions';
import type { FilterVerdict } from '../../chat/content-filter/content-filter';
import { Forbidden, InvalidInput } from '../../errors';
import { nicknameBody } from '../chat-schemas';
import type { AppState } from '../deps';
import { parse } from '../validate';

/** `checkNickname`: the chat's content filter, scene 1 (a guest has no openid) */
export function guestRouter(guests: GuestSessions | undefined, checkNickname: (nickname: string) => Promise<FilterVerdict>): Router<AppState> {
  const router = new Router<AppState>();

  router.post('/api/auth/guest', async (ctx) => {
    if (!guests) throw new Forbidden('Guest chat is turned off on this server; sign in with WeChat.', 'guest_chat_off');
    const { nickname } = parse(nicknameBody, ctx.request.body);
    if (!(await checkNickname(nickname)).allowed) throw new InvalidInput('That nickname did not pass the content check; choose another.', 'content_rejected');
    ctx.body = (await guests.start(nickname, ctx.ip)) satisfies LoginResponse;
  });

  return router;
}

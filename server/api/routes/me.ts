// `PUT /api/me {nickname}` (issue 13): the signed-in user's nickname, shown on their next chat sign-in and messages.
import Router from '@koa/router';
import type { MeResponse } from '../../../typings/chat';
import type { LoginService } from '../../auth/login';
import type { ChatService } from '../../chat/chat-service';
import { InvalidInput } from '../../errors';
import { nicknameBody } from '../chat-schemas';
import type { AppState } from '../deps';
import { requireUser } from '../middleware/auth';
import { parse } from '../validate';

export function meRouter(chat: ChatService, login: LoginService): Router<AppState> {
  const router = new Router<AppState>();

  router.put('/api/me', requireUser(login), async (ctx) => {
    const { nickname } = parse(nicknameBody, ctx.request.body);
    const verdict = await chat.checkNickname(nickname, ctx.state.user!.openid);
    if (!verdict.allowed) throw new InvalidInput('That nickname did not pass the content check; choose another.', 'content_rejected');
    const user = await chat.setNickname(ctx.state.user!.id, nickname);
    ctx.body = { user } satisfies MeResponse;
  });

  return router;
}

// Bearer checks: a signed-in user (session token) or the admin (ADMIN_TOKEN). Each sets ctx.state.actor.
import type { Middleware } from 'koa';
import { bearerToken, isAdminToken } from '../../auth/admin-token';
import type { LoginService } from '../../auth/login';
import { Forbidden, Unauthorized } from '../../errors';
import type { AppState } from '../deps';

type StateMiddleware = Middleware<AppState>;

function signedInUser(login: LoginService, token: string | undefined): AppState['user'] {
  const user = token ? login.verify(token) : null;
  if (!user) throw new Unauthorized(token ? 'The session token is invalid or expired; sign in again.' : undefined);
  return user;
}

export function requireUser(login: LoginService): StateMiddleware {
  return async (ctx, next) => {
    const user = signedInUser(login, bearerToken(ctx.get('Authorization')));
    ctx.state.user = user;
    ctx.state.actor = { kind: 'user', userId: user!.id };
    await next();
  };
}

export function requireAdmin(adminToken: string): StateMiddleware {
  return async (ctx, next) => {
    const token = bearerToken(ctx.get('Authorization'));
    if (!token) throw new Unauthorized('Send Authorization: Bearer <ADMIN_TOKEN>.', 'admin_token_required');
    if (!isAdminToken(adminToken, token)) throw new Forbidden('That is not the admin token.', 'bad_admin_token');
    ctx.state.actor = { kind: 'admin' };
    await next();
  };
}

/** The admin token, or else a signed-in user (for actions both may take, like ending a room). */
export function requireUserOrAdmin(login: LoginService, adminToken: string): StateMiddleware {
  const asUser = requireUser(login);
  return async (ctx, next) => {
    const token = bearerToken(ctx.get('Authorization'));
    if (token && isAdminToken(adminToken, token)) {
      ctx.state.actor = { kind: 'admin' };
      await next();
      return;
    }
    await asUser(ctx, next);
  };
}

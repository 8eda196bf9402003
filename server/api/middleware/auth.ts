// Bearer checks: a signed-in user (session token) or the admin (ADMIN_TOKEN).
import type { Middleware } from 'koa';
import { bearerToken, isAdminToken } from '../../auth/admin-token';
import type { LoginService } from '../../auth/login';
import { Forbidden, Unauthorized } from '../../errors';

export function requireUser(login: LoginService): Middleware {
  return async (ctx, next) => {
    const token = bearerToken(ctx.get('Authorization'));
    const user = token ? login.verify(token) : null;
    if (!user) throw new Unauthorized(token ? 'The session token is invalid or expired; sign in again.' : undefined);
    ctx.state.user = user;
    await next();
  };
}

export function requireAdmin(adminToken: string): Middleware {
  return async (ctx, next) => {
    const token = bearerToken(ctx.get('Authorization'));
    if (!token) throw new Unauthorized('Send Authorization: Bearer <ADMIN_TOKEN>.', 'admin_token_required');
    if (!isAdminToken(adminToken, token)) throw new Forbidden('That is not the admin token.', 'bad_admin_token');
    await next();
  };
}

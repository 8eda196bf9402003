// Room covers: the host uploads the image itself (POST, raw image/jpeg or image/png body), anyone fetches it (GET).
import Router from '@koa/router';
import type { RoomResponse } from '../../../typings/api';
import { DomainError } from '../../errors';
import { COVER_MAX_BYTES } from '../../rooms/cover/cover-errors';
import type { CoverService } from '../../rooms/cover-service';
import { NO_VIEWERS } from '../../rooms/ports';
import { roomView } from '../../rooms/room-view';
import { COVER_VERSION_PATTERN } from '../../store/cover-files';
import type { ApiDeps, AppState } from '../deps';
import { requireUser } from '../middleware/auth';
import { checkBodyHeaders, readLimitedBody } from '../read-body';
import { urlBases } from '../url-bases';
import { roomIdOf } from './rooms';

/** A versioned URL names one content for ever; the unversioned one follows the newest upload. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

export function coverRouter(deps: ApiDeps, covers: CoverService): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/rooms/:id/cover' });
  const view = roomView(deps.viewers ?? NO_VIEWERS);

  router.post('/', requireUser(deps.login), async (ctx) => {
    const id = roomIdOf(ctx.params.id ?? '');
    const type = covers.acceptType(ctx.get('Content-Type'));
    checkBodyHeaders(ctx.req, COVER_MAX_BYTES); // 413 / 415 from the headers alone, before the room is even read
    const base = urlBases(ctx, deps).http;
    const actor = { kind: 'user' as const, userId: ctx.state.user!.id };
    const room = await covers.upload(id, actor, type, () => readLimitedBody(ctx.req, COVER_MAX_BYTES),
      (version) => `${base}/api/rooms/${id}/cover?v=${version}`);
    ctx.body = { room: view(room) } satisfies RoomResponse;
  });

  router.get('/', async (ctx) => {
    const id = roomIdOf(ctx.params.id ?? '');
    const asked = typeof ctx.query.v === 'string' && COVER_VERSION_PATTERN.test(ctx.query.v) ? ctx.query.v : null;
    const found = await covers.file(id, asked);
    if (!found) throw new DomainError('not_found', 'cover_not_found', `Room "${id}" has no uploaded cover.`);
    ctx.status = 200;
    ctx.type = found.file.type;
    ctx.etag = `"${found.version}"`;
    ctx.set('Cache-Control', asked === found.version ? IMMUTABLE : REVALIDATE);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Access-Control-Allow-Origin', '*'); // an <img> or the mini-program's <image> on any origin
    if (ctx.fresh) {
      found.file.stream.destroy();
      ctx.status = 304;
      return;
    }
    ctx.body = found.file.stream;
    ctx.length = found.file.size;
  });

  return router;
}

// The video library's routes (issue 14): public list/get/play, and the admin's list, upload (PUT, the raw file as
// the body, streamed to disk), patch and delete. The library itself is server/vod (no Koa there).
import Router from '@koa/router';
import type { VideoListResponse, VideoPlayResponse, VideoResponse } from '../../../typings/vod';
import { PerMinute } from '../../limits/per-minute';
import { decodeCursor, encodeCursor } from '../../rooms/cursor';
import type { UploadReceiver } from '../../vod/upload-receiver';
import type { VideoCatalog } from '../../vod/video-catalog';
import type { ApiDeps, AppState } from '../deps';
import { requireAdmin } from '../middleware/auth';
import { urlBases } from '../url-bases';
import { parse } from '../validate';
import { videoIdParam, videoListQuery, videoPatchBody } from '../vod-schemas';
import { isAdminToken, bearerToken } from '../../auth/admin-token';

export interface VideosApi {
  catalog: VideoCatalog;
  uploads: UploadReceiver;
  /** uploads per client address per minute (VOD_UPLOADS_PER_MIN) */
  uploadsPerMin: number;
}

const idOf = (raw: string | undefined): string => {
  const r = videoIdParam.safeParse(raw);
  // an id that cannot exist is simply not found (same answer as an unknown one)
  return r.success ? r.data : '-';
};

export function videosRouter(deps: ApiDeps, v: VideosApi): Router<AppState> {
  const router = new Router<AppState>();
  const admin = requireAdmin(deps.adminToken);
  const perIp = new PerMinute(v.uploadsPerMin, {
    code: 'vod_upload_rate', message: 'Too many uploads from this address; try again in {s} s.',
  }, deps.onLimit);

  const page = async (publicOnly: boolean, query: unknown): Promise<VideoListResponse> => {
    const q = parse(videoListQuery, query, 'query');
    const p = await v.catalog.list(publicOnly, q.limit, q.cursor ? decodeCursor(q.cursor) : undefined);
    return { videos: p.videos, nextCursor: p.next ? encodeCursor(p.next) : null };
  };

  router.get('/api/videos', async (ctx) => {
    ctx.body = await page(true, ctx.query) satisfies VideoListResponse;
  });

  router.get('/api/videos/:id', async (ctx) => {
    const asAdmin = isAdminToken(deps.adminToken, bearerToken(ctx.get('Authorization')));
    ctx.body = { video: await v.catalog.get(idOf(ctx.params.id), asAdmin) } satisfies VideoResponse;
  });

  router.get('/api/videos/:id/play', async (ctx) => {
    const asAdmin = isAdminToken(deps.adminToken, bearerToken(ctx.get('Authorization')));
    // a private video's signed URLs go to the admin only: to the public it does not exist
    const video = await v.catalog.get(idOf(ctx.params.id), asAdmin);
    const bases = urlBases(ctx, deps);
    ctx.body = { play: v.catalog.playUrls(video, bases) } satisfies VideoPlayResponse;
  });

  router.get('/api/admin/videos', admin, async (ctx) => {
    ctx.body = await page(false, ctx.query) satisfies VideoListResponse;
  });

  router.put('/api/admin/videos/:name', admin, async (ctx) => {
    await perIp.take(`ip:${ctx.ip}`);
    const name = ctx.params.name ?? '';
    const video = await v.uploads.receive(name, ctx.req, (part) => v.catalog.addUpload(name, part));
    ctx.status = 201;
    ctx.body = { video } satisfies VideoResponse;
  });

  router.patch('/api/admin/videos/:id', admin, async (ctx) => {
    const body = parse(videoPatchBody, ctx.request.body);
    ctx.body = { video: await v.catalog.patch(idOf(ctx.params.id), body) } satisfies VideoResponse;
  });

  router.delete('/api/admin/videos/:id', admin, async (ctx) => {
    await v.catalog.remove(idOf(ctx.params.id));
    ctx.status = 204;
  });

  return router;
}

// Media over HTTP on the API port: HTTP-FLV, live HLS and replays (design.md §4).
import Router from '@koa/router';
import type { Middleware } from 'koa';
import type { EmbeddedMediaHttp } from '../../media/embedded/media-http';
import type { AppState } from '../deps';
import { sendMedia } from './media-send';

const FLV_NAME = /^([0-9A-Za-z]{12})\.flv$/;

export function mediaRouter(media: EmbeddedMediaHttp): Router<AppState> {
  const router = new Router<AppState>();

  /** HLS_MAX_PER_IP: the request holds its address's place until its response closes. */
  const hlsInFlight: Middleware = async (ctx, next) => {
    ctx.res.once('close', media.reserveHls(ctx.ip));
    await next();
  };

  router.get('/live/:name', async (ctx) => {
    const m = FLV_NAME.exec(ctx.params.name ?? '');
    if (!m) {
      ctx.status = 404;
      ctx.body = { error: { code: 'not_found', message: 'Play URLs look like /live/<roomId>.flv?expires=…&sign=…' } };
      return;
    }
    const roomId = m[1]!;
    await media.admitViewer(roomId, ctx.query);
    if (ctx.method === 'HEAD') {
      // Node sends a HEAD response's headers only at end(): a viewer would hold the request open (and count) for ever
      ctx.status = 200;
      ctx.type = 'video/x-flv';
      ctx.set('Cache-Control', 'no-cache, no-store');
      ctx.set('Access-Control-Allow-Origin', '*');
      return;
    }
    const res = ctx.res;
    res.once('close', media.reserveFlv(roomId, ctx.ip));
    ctx.respond = false; // the FLV viewer owns the response from here on
    res.writeHead(200, {
      'Content-Type': 'video/x-flv', 'Cache-Control': 'no-cache, no-store', 'Access-Control-Allow-Origin': '*',
      'X-Request-Id': ctx.state.requestId,
    });
    res.socket?.setNoDelay(true);
    media.attachFlv(roomId, ctx.ip, res, (cb) => res.once('close', cb));
  });

  router.get('/live/:roomId/:file', hlsInFlight, async (ctx) => {
    const { roomId = '', file = '' } = ctx.params;
    sendMedia(ctx, file === 'index.m3u8'
      ? await media.livePlaylist(roomId, ctx.query, ctx.ip)
      : await media.liveSegment(roomId, file, ctx.query, ctx.ip));
  });

  router.get('/replay/:roomId/:broadcastId/:file', hlsInFlight, async (ctx) => {
    const { roomId = '', broadcastId = '', file = '' } = ctx.params;
    sendMedia(ctx, await media.replayFile(roomId, broadcastId, file));
  });

  return router;
}

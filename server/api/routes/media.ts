// Media over HTTP on the API port: HTTP-FLV, live HLS and replays (design.md §4).
import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { EmbeddedMediaHttp, FileBody } from '../../media/embedded/media-http';
import type { AppState } from '../deps';

const FLV_NAME = /^([0-9A-Za-z]{12})\.flv$/;
const M3U8 = 'application/vnd.apple.mpegurl';

function mediaHeaders(ctx: Context, type: string, cache: string): void {
  ctx.type = type;
  ctx.set('Cache-Control', cache);
  ctx.set('Access-Control-Allow-Origin', '*');
}

/** A streamed file as the body: Koa pipes it with backpressure and destroys it when the response closes. */
function sendFile(ctx: Context, file: FileBody): void {
  ctx.body = file.stream;
  ctx.length = file.size;
}

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
    if (file === 'index.m3u8') {
      ctx.body = await media.livePlaylist(roomId, ctx.query, ctx.ip);
      mediaHeaders(ctx, M3U8, 'no-cache');
    } else {
      sendFile(ctx, await media.liveSegment(roomId, file, ctx.query, ctx.ip));
      mediaHeaders(ctx, 'video/mp2t', 'public, max-age=60');
    }
  });

  router.get('/replay/:roomId/:broadcastId/:file', hlsInFlight, async (ctx) => {
    const { roomId = '', broadcastId = '', file = '' } = ctx.params;
    const found = await media.replayFile(roomId, broadcastId, file);
    if ('playlist' in found) {
      ctx.body = found.playlist;
      mediaHeaders(ctx, M3U8, 'no-cache');
    } else {
      sendFile(ctx, found.segment);
      mediaHeaders(ctx, 'video/mp2t', 'public, max-age=86400');
    }
  });

  return router;
}

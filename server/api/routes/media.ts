// Media over HTTP on the API port: HTTP-FLV, live HLS and replays (design.md §4).
import Router from '@koa/router';
import { createHash } from 'node:crypto';
import type { Context } from 'koa';
import type { EmbeddedMediaHttp } from '../../media/embedded/media-http';
import type { AppState } from '../deps';

const FLV_NAME = /^([0-9A-Za-z]{12})\.flv$/;
const M3U8 = 'application/vnd.apple.mpegurl';

/** One HLS client: address + user agent, hashed (we only count them). */
function clientKey(ctx: Context): string {
  return createHash('sha1').update(`${ctx.ip}\n${ctx.get('User-Agent')}`).digest('base64url');
}

function mediaHeaders(ctx: Context, type: string, cache: string): void {
  ctx.type = type;
  ctx.set('Cache-Control', cache);
  ctx.set('Access-Control-Allow-Origin', '*');
}

export function mediaRouter(media: EmbeddedMediaHttp): Router<AppState> {
  const router = new Router<AppState>();

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
    ctx.respond = false; // the FLV viewer owns the response from here on
    const res = ctx.res;
    res.writeHead(200, {
      'Content-Type': 'video/x-flv', 'Cache-Control': 'no-cache, no-store', 'Access-Control-Allow-Origin': '*',
      'X-Request-Id': ctx.state.requestId,
    });
    res.socket?.setNoDelay(true);
    media.attachFlv(roomId, res, (cb) => res.once('close', cb));
  });

  router.get('/live/:roomId/:file', async (ctx) => {
    const { roomId = '', file = '' } = ctx.params;
    if (file === 'index.m3u8') {
      ctx.body = await media.livePlaylist(roomId, ctx.query, clientKey(ctx));
      mediaHeaders(ctx, M3U8, 'no-cache');
    } else {
      ctx.body = await media.liveSegment(roomId, file, ctx.query, clientKey(ctx));
      mediaHeaders(ctx, 'video/mp2t', 'public, max-age=60');
    }
  });

  router.get('/replay/:roomId/:broadcastId/:file', async (ctx) => {
    const { roomId = '', broadcastId = '', file = '' } = ctx.params;
    const { data, playlist } = await media.replayFile(roomId, broadcastId, file);
    ctx.body = data;
    mediaHeaders(ctx, playlist ? M3U8 : 'video/mp2t', playlist ? 'no-cache' : 'public, max-age=86400');
  });

  return router;
}

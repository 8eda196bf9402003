// Web pages: the front page, the H5 watch page, the videos page, the admin console, their hashed assets, and /crossdomain.xml.
import Router from '@koa/router';
import type { Context } from 'koa';
import type { AppState } from '../api/deps';
import { RoomNotFound } from '../errors';
import { ROOM_ID_PATTERN } from '../rooms/ids';
import { CROSSDOMAIN_XML } from './crossdomain';
import { defaultWebDir, PageAssets, type StaticFile } from './page-assets';

export interface WebRouterOptions {
  /** the build output (dist/web); found next to the server code when left out */
  dir?: string;
}

/** Hashed names never change content, so browsers and CDNs may keep them for a year. */
export const ASSET_CACHE = 'public, max-age=31536000, immutable';
/** Pages name the current assets, so they are always revalidated (cheap: ETag → 304). */
export const PAGE_CACHE = 'no-cache';

// Play URLs and covers may live on another host (PUBLIC_HTTP_URL, a CDN); hls.js runs its worker from a blob.
// The chat socket is ws(s): on this host; `*` does not cover ws: in older browsers (Safari before 15.4), so it is named.
const WATCH_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src * data: blob:; media-src * data: blob:; "
  + "connect-src * ws: wss:; worker-src 'self' blob:; object-src 'none'; base-uri 'none'";
// The admin token lives in sessionStorage: allow no outside script or connection, and no framing. The chat socket
// goes to this same host, whose ws:/wss: origin 'self' does not cover in every browser: named per request.
const adminCsp = (host: string): string => "default-src 'self'; script-src 'self'; style-src 'self'; img-src * data:; "
  + `connect-src 'self'${socketSources(host)}; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`;

/** ` ws://host wss://host` for a well-formed Host header (name or address, optional port); nothing otherwise. */
export function socketSources(host: string): string {
  return /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host) ? ` ws://${host} wss://${host}` : '';
}

// The front page lists rooms through the API and shows their covers, which may live on another host (a CDN).
const HOME_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src * data:; connect-src 'self'; "
  + "object-src 'none'; base-uri 'none'; form-action 'self'";

// The videos page plays library and replay HLS (hls.js: blob worker, media from blob:) or an MP4, on this host or
// PUBLIC_HTTP_URL's; it opens no socket.
const VIDEOS_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src * data: blob:; media-src * data: blob:; "
  + "connect-src *; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'";

export function webRouter(opts: WebRouterOptions = {}): Router<AppState> {
  const files = new PageAssets(opts.dir ?? defaultWebDir());
  const router = new Router<AppState>();

  // an HTML page for browsers, never the API's JSON 404
  router.get('/', (ctx) => sendPage(ctx, files.page('home'), HOME_CSP));

  router.get('/watch/:roomId', (ctx) => {
    // the page itself reports unknown rooms; an id that cannot exist is refused here
    if (!ROOM_ID_PATTERN.test(ctx.params.roomId)) throw new RoomNotFound(ctx.params.roomId.slice(0, 64));
    sendPage(ctx, files.page('watch'), WATCH_CSP);
  });

  // /videos: the library; /videos?room=<id>: that room's replays (the page itself reports an unknown room)
  router.get('/videos', (ctx) => sendPage(ctx, files.page('videos'), VIDEOS_CSP));

  router.get('/admin', (ctx) => {
    sendPage(ctx, files.page('admin'), adminCsp(ctx.host));
    ctx.set('Referrer-Policy', 'no-referrer');
  });

  router.get('/assets/:name', (ctx) => {
    const file = files.asset(ctx.params.name);
    if (!file) return; // falls through to the app's JSON 404
    ctx.set('Cache-Control', ASSET_CACHE);
    send(ctx, file);
  });

  router.get('/crossdomain.xml', (ctx) => {
    ctx.type = 'text/x-cross-domain-policy';
    ctx.set('Cache-Control', 'public, max-age=86400');
    ctx.body = CROSSDOMAIN_XML;
  });

  return router;
}

function sendPage(ctx: Context, file: StaticFile | null, csp: string): void {
  if (!file) return;
  ctx.set('Cache-Control', PAGE_CACHE);
  ctx.set('Content-Security-Policy', csp);
  ctx.set('X-Content-Type-Options', 'nosniff');
  send(ctx, file);
}

/** Sends a file, precompressed when the client accepts it, with a 304 for a matching ETag. */
function send(ctx: Context, file: StaticFile): void {
  ctx.status = 200;
  ctx.type = file.type;
  ctx.etag = file.etag;
  ctx.vary('Accept-Encoding');
  if (ctx.fresh) {
    ctx.status = 304;
    return;
  }
  const encoding = ctx.acceptsEncodings(...[file.br && 'br', file.gzip && 'gzip', 'identity'].filter((e): e is string => !!e));
  if (encoding === 'br' && file.br) {
    ctx.set('Content-Encoding', 'br');
    ctx.body = file.br;
  } else if (encoding === 'gzip' && file.gzip) {
    ctx.set('Content-Encoding', 'gzip');
    ctx.body = file.gzip;
  } else {
    ctx.body = file.body;
  }
}

// A library video's own file on the API port (`/vod/<id>/file`, progressive download and <video> seeking),
// answered ahead of Koa like the other media paths (vod-lane.ts): streamed from disk with media-send's validators
// (ETag → 304), Range → 206 and HEAD; the MIME type from the format; a private video needs its play signature.
// Open files are capped per address and in all (each holds a file handle and a socket): more → 429.
import { parse as parseQuery } from 'node:querystring';
import type { Logger } from 'pino';
import { DomainError, RateLimited } from '../errors';
import type { PlayQuery, VodCatalog } from '../vod/catalog-port';
import { fileBody } from '../vod-media/open-file';
import { errorAnswer } from './error-answer';
import { addressOf } from './middleware/client-address';
import type { RequestLane } from './media-lane';
import { sendMedia } from './media-send';
import { laneHeaders, refuseOtherMethods, sendJson } from './raw-response';

const FILE_PATH = /^\/vod\/([0-9A-Za-z]{12})\/file$/;
const MIME = { mp4: 'video/mp4', flv: 'video/x-flv' } as const;

export interface VodFileLaneOptions {
  catalog: VodCatalog;
  log: Logger;
  trustedProxies?: readonly string[];
  /** files one address may be sent at once (default 8) */
  maxPerIp?: number;
  /** files sent at once in all (FILE_STREAMS_MAX) */
  maxStreams: number;
}

export function vodFileLane(o: VodFileLaneOptions): RequestLane {
  const ipOf = addressOf(o.trustedProxies ?? []);
  const maxPerIp = o.maxPerIp ?? 8;
  const perIp = new Map<string, number>();
  let total = 0;

  const open = async (id: string, query: PlayQuery) => {
    const found = await o.catalog.byId(id);
    if (!found) throw new DomainError('not_found', 'video_not_found', 'No such video.');
    const refused = o.catalog.checkPlay(found.video, query);
    if (refused) throw new DomainError('forbidden', 'play_forbidden', refused);
    // private files are cached by the browser only: a shared cache would hand them out unsigned
    const cache = found.video.public ? 'public, max-age=3600' : 'private, max-age=3600';
    const body = await fileBody(found.path, MIME[found.video.format], cache);
    if (!body) throw new DomainError('not_found', 'video_not_found', 'No such video.');
    return body;
  };

  return (req, res) => {
    const url = req.url ?? '';
    if (!url.startsWith('/vod/')) return false;
    const q = url.indexOf('?');
    const m = FILE_PATH.exec(q < 0 ? url : url.slice(0, q));
    if (!m || req.method === 'OPTIONS') return false;
    const headers = laneHeaders(req);
    if (refuseOtherMethods(req, res, headers)) return true;
    const ip = ipOf(req);
    const held = perIp.get(ip) ?? 0;
    const fail = (err: unknown) => {
      const ans = errorAnswer(err);
      if (ans.unexpected) o.log.error({ err, reqId: headers['X-Request-Id'] }, 'unhandled error');
      if (res.headersSent) return void res.destroy();
      if (ans.retryAfter) headers['Retry-After'] = ans.retryAfter;
      sendJson(res, ans.status, headers, ans.body);
    };
    if (held >= maxPerIp || total >= o.maxStreams) {
      fail(new RateLimited(held >= maxPerIp ? `At most ${maxPerIp} video files at once from one address.` : 'Too many video files are being sent; try again shortly.',
        held >= maxPerIp ? 'vod_files_per_address' : 'vod_files_busy', 1));
      return true;
    }
    perIp.set(ip, held + 1);
    total++;
    res.once('close', () => {
      total--;
      const n = (perIp.get(ip) ?? 1) - 1;
      if (n > 0) perIp.set(ip, n);
      else perIp.delete(ip);
    });
    const query = (q < 0 ? {} : parseQuery(url.slice(q + 1))) as PlayQuery;
    open(m[1]!, query).then((body) => sendMedia(req, res, headers, body)).catch(fail);
    return true;
  };
}

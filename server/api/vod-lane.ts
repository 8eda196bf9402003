// The VOD media paths on the API port, answered ahead of Koa like the live ones (media-lane.ts): a library video's
// HLS (`/vod/<id>/index.m3u8`, `/vod/<id>/<n>.ts`) and a replay as one MP4 (`/replay/<roomId>/<broadcastId>.mp4`),
// sent with the same validators, Range and HEAD handling (media-send.ts). Anything else is left to the next handler.
import { parse as parseQuery } from 'node:querystring';
import type { Logger } from 'pino';
import type { Query, VodMediaHttp } from '../vod-media/vod-media-http';
import { errorAnswer } from './error-answer';
import { addressOf } from './middleware/client-address';
import type { RequestLane } from './media-lane';
import { sendMedia } from './media-send';
import { laneHeaders, refuseOtherMethods, sendJson } from './raw-response';

const VOD_HLS = /^\/vod\/([^/]+)\/(index\.m3u8|\d{1,9}\.ts)$/;
const REPLAY_MP4 = /^\/replay\/([^/]+)\/([^/]+)\.mp4$/;

const decode = (s: string): string => {
  try { return decodeURIComponent(s); } catch { return s; }
};

export interface VodLaneOptions {
  log: Logger;
  trustedProxies?: readonly string[];
  /** requests of one address under way at once (a first request may wait for a remux); more → 429 */
  maxPerIp?: number;
}

export function vodLane(vod: VodMediaHttp, o: VodLaneOptions): RequestLane {
  const ipOf = addressOf(o.trustedProxies ?? []);
  const maxPerIp = o.maxPerIp ?? 32;
  const perIp = new Map<string, number>();
  return (req, res) => {
    const url = req.url ?? '';
    if (!url.startsWith('/vod/') && !url.startsWith('/replay/')) return false;
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const hls = VOD_HLS.exec(path);
    const mp4 = hls ? null : REPLAY_MP4.exec(path);
    if (!hls && !mp4) return false;
    if (req.method === 'OPTIONS') return false; // CORS preflight: Koa's cors answers it
    const headers = laneHeaders(req);
    if (refuseOtherMethods(req, res, headers)) return true;
    const ip = ipOf(req);
    const held = perIp.get(ip) ?? 0;
    if (held >= maxPerIp) {
      headers['Retry-After'] = '1';
      sendJson(res, 429, headers, { error: { code: 'too_many_requests', message: `At most ${maxPerIp} video requests at once from one address.` } });
      return true;
    }
    perIp.set(ip, held + 1);
    res.once('close', () => {
      const n = (perIp.get(ip) ?? 1) - 1;
      if (n > 0) perIp.set(ip, n);
      else perIp.delete(ip);
    });
    const query = (q < 0 ? {} : parseQuery(url.slice(q + 1))) as Query;
    const [a, b] = (hls ?? mp4)!.slice(1).map(decode) as [string, string];
    const body = hls ? vod.vodFile(a, b, query) : vod.replayMp4(a, b, query);
    const started = process.hrtime.bigint();
    body.then((m) => sendMedia(req, res, headers, m)).catch((err: unknown) => {
      const ans = errorAnswer(err);
      if (ans.unexpected) o.log.error({ err, reqId: headers['X-Request-Id'] }, 'unhandled error');
      if (res.headersSent) return void res.destroy();
      sendJson(res, ans.status, headers, ans.body);
    }).finally(() => {
      if (!o.log.isLevelEnabled('info')) return;
      const ms = Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10;
      o.log.info({ reqId: headers['X-Request-Id'], method: req.method, path, status: res.statusCode, ms }, 'request');
    });
    return true;
  };
}

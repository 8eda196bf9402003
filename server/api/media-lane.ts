// Media requests on the API port, answered ahead of Koa: HTTP-FLV, live HLS and replays (design.md §4).
// Every player polls its playlist each second and fetches each segment once, so a Koa context, its middleware
// chain and its router cost more than the answer from memory (issue 11: CPU per GB near nginx's). What the API's
// middleware does for every request is kept here in brief: the client's address (TRUSTED_PROXIES), a request id,
// CORS, the JSON error shape and the access log line. Any other path is left to Koa.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { Logger } from 'pino';
import type { GuestSlot } from '../../typings/cohost';
import type { EmbeddedMediaHttp, MediaBody } from '../media/embedded/media-http';
import { parseStreamKey } from '../media/rtmp/stream-path';
import { DomainError } from '../errors';
import { errorAnswer } from './error-answer';
import { sendMedia } from './media-send';
import { addressOf } from './middleware/client-address';
import { laneHeaders, sendJson } from './raw-response';
import type { ReplayAccess } from '../vod-media/vod-media-http';
import { signPlaylist } from '../vod-media/vod-media-http';

/** A handler that takes a request (true) or leaves it to the next one (false). */
export type RequestLane = (req: IncomingMessage, res: ServerResponse) => boolean;

const FLV = /^\/live\/([^/]+)$/;
const LIVE = /^\/live\/([^/]+)\/([^/]+)$/;
const REPLAY = /^\/replay\/([^/]+)\/([^/]+)\/([^/]+)$/;
/** `<roomId>.flv`, or a co-host guest slot's `<roomId>~g1.flv` (issue 15) */
const FLV_NAME = /^([0-9A-Za-z]{12})(?:~(g[1-3]))?\.flv$/;

interface MediaRequest {
  req: IncomingMessage;
  res: ServerResponse;
  ip: string;
  query: Record<string, unknown>;
  headers: OutgoingHttpHeaders;
}

const decode = (s: string): string => {
  if (!s.includes('%')) return s;
  try { return decodeURIComponent(s); } catch { return s; }
};

export function mediaLane(media: EmbeddedMediaHttp, o: {
  log: Logger; trustedProxies?: readonly string[];
  /** issue 14: a hidden replay is served only with the signature its host/admin got (ReplayService.access) */
  replayAccess?: ReplayAccess;
}): RequestLane {
  const ipOf = addressOf(o.trustedProxies ?? []);

  const live = (r: MediaRequest, stream: string, file: string): Promise<void> | void => {
    // HLS_MAX_PER_IP/PER_ROOM/REQUESTS, held until the response closes: a guest's stream counts in its room's
    const roomId = parseStreamKey(stream)?.roomId ?? stream;
    r.res.on('close', media.reserveHls(roomId, r.ip)); // a response closes once; `once` would wrap the release
    const playlist = file === 'index.m3u8';
    // a player at the live edge is answered from memory at once; a promise only for a first look-up or a file
    const now = playlist ? media.livePlaylistNow(stream, r.query, r.ip) : media.liveSegmentNow(stream, file, r.query, r.ip);
    if (now) return sendMedia(r.req, r.res, r.headers, now);
    return (playlist ? media.livePlaylist(stream, r.query, r.ip) : media.liveSegment(stream, file, r.query, r.ip))
      .then((body) => sendMedia(r.req, r.res, r.headers, body));
  };

  const replay = async (r: MediaRequest, roomId: string, broadcastId: string, file: string): Promise<void> => {
    r.res.once('close', media.reserveHls(roomId, r.ip));
    const query = r.query as Record<string, string | string[] | undefined>;
    const hidden = (await o.replayAccess?.(roomId, broadcastId, query)) === 'hidden';
    if (hidden) throw new DomainError('not_found', 'not_found', 'No such replay here.');
    let body: MediaBody = await media.replayFile(roomId, broadcastId, file);
    if (file === 'index.m3u8' && typeof query.sign === 'string' && body.file) {
      // a hidden replay's segments need the signature too: the playlist names them with it (small: read whole)
      const chunks: Buffer[] = [];
      for await (const c of body.file.stream(0, body.size - 1)) chunks.push(c as Buffer);
      const bytes = Buffer.from(signPlaylist(Buffer.concat(chunks).toString('utf8'), `?expires=${query.expires}&sign=${query.sign}`));
      body = { ...body, file: undefined, bytes, size: bytes.length, cache: 'private, no-cache' };
    }
    sendMedia(r.req, r.res, r.headers, body);
  };

  const flv = async (r: MediaRequest, name: string): Promise<void> => {
    const m = FLV_NAME.exec(name);
    if (!m) {
      sendJson(r.res, 404, r.headers, { error: { code: 'not_found', message: 'Play URLs look like /live/<roomId>.flv?expires=…&sign=…' } });
      return;
    }
    const roomId = m[1]!;
    const slot = (m[2] ?? null) as GuestSlot | null;
    // co-hosts watching each other: every tag at once, whatever the viewer count (no merge window)
    const lowLatency = r.query.latency === 'low';
    await media.admitViewer(roomId, r.query);
    const headers = { ...r.headers, 'Content-Type': 'video/x-flv', 'Cache-Control': 'no-cache, no-store', 'Access-Control-Allow-Origin': '*' };
    // Node sends a HEAD response's headers only at end(): a viewer would hold the request open (and count) for ever
    if (r.req.method === 'HEAD') {
      r.res.writeHead(200, headers).end();
      return;
    }
    const res = r.res;
    res.once('close', media.reserveFlv(roomId, r.ip));
    res.writeHead(200, headers); // the FLV viewer owns the response from here on
    res.socket?.setNoDelay(true);
    media.attachFlv(roomId, r.ip, res, (cb) => res.once('close', cb), { slot, lowLatency });
  };

  const fail = (r: MediaRequest, err: unknown): void => {
    const a = errorAnswer(err);
    if (a.unexpected) o.log.error({ err, reqId: r.headers['X-Request-Id'] }, 'unhandled error');
    if (r.res.headersSent) {
      r.res.destroy();
      return;
    }
    if (a.retryAfter) r.headers['Retry-After'] = a.retryAfter;
    if (a.closes) r.headers.Connection = 'close';
    sendJson(r.res, a.status, r.headers, a.body);
  };

  // long-lived FLV responses log when they start; their end is logged by the media layer
  const logLine = (r: MediaRequest, started: bigint): void => {
    const ms = Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10;
    const path = (r.req.url ?? '').split('?', 1)[0];
    o.log.info({ reqId: r.headers['X-Request-Id'], method: r.req.method, path, status: r.res.statusCode, ms }, 'request');
  };

  /** Runs a handler that answers at once (most live HLS requests) or later (a promise), failing the same way. */
  const answer = (r: MediaRequest, handle: () => Promise<void> | void): void => {
    const started = o.log.isLevelEnabled('info') ? process.hrtime.bigint() : null;
    let later: Promise<void> | void = undefined;
    try {
      later = handle();
    } catch (err) {
      fail(r, err);
    }
    if (later) {
      later.catch((err: unknown) => fail(r, err)).finally(() => { if (started !== null) logLine(r, started); });
    } else if (started !== null) {
      logLine(r, started);
    }
  };

  return (req, res) => {
    const url = req.url ?? '';
    if (!url.startsWith('/live/') && !url.startsWith('/replay/')) return false;
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const flvMatch = FLV.exec(path);
    const liveMatch = flvMatch ? null : LIVE.exec(path);
    const replayMatch = flvMatch || liveMatch ? null : REPLAY.exec(path);
    if (!flvMatch && !liveMatch && !replayMatch) return false;
    if (req.method === 'OPTIONS') return false; // CORS preflight: Koa's cors answers it
    const headers = laneHeaders(req);
    if (req.headers.origin) headers['Access-Control-Expose-Headers'] = 'X-Request-Id';
    const r: MediaRequest = { req, res, ip: ipOf(req), query: q < 0 ? {} : parseQuery(url.slice(q + 1)), headers };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      headers.Allow = 'HEAD, GET';
      answer(r, () => sendJson(res, 405, headers, {
        error: { code: 'method_not_allowed', message: `${req.method} is not allowed here; use HEAD, GET.` },
      }));
      return true;
    }
    const m = (flvMatch ?? liveMatch ?? replayMatch)!;
    const a = decode(m[1]!);
    answer(r, flvMatch ? () => flv(r, a)
      : liveMatch ? () => live(r, a, decode(m[2]!))
        : () => replay(r, a, decode(m[2]!), decode(m[3]!)));
    return true;
  };
}

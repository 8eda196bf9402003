// Small writers for responses made without Koa (the media and VOD lanes): JSON errors in the API's shape, the lanes' common headers.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { requestIdOf } from './request-ids';

export function sendJson(res: ServerResponse, status: number, headers: OutgoingHttpHeaders, body: unknown): void {
  const text = Buffer.from(JSON.stringify(body));
  headers['Content-Type'] = 'application/json; charset=utf-8';
  headers['Content-Length'] = text.length;
  res.writeHead(status, headers).end(res.req.method === 'HEAD' ? undefined : text);
}

/** The headers every lane answer starts with: the client's request id when it is sane (else a fresh one), Vary: Origin. */
export function laneHeaders(req: IncomingMessage): OutgoingHttpHeaders {
  return { 'X-Request-Id': requestIdOf(req.headers['x-request-id']), Vary: 'Origin' };
}

/** Media paths take HEAD and GET only: anything else gets its 405 here (true when it did). */
export function refuseOtherMethods(req: IncomingMessage, res: ServerResponse, headers: OutgoingHttpHeaders): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return false;
  headers.Allow = 'HEAD, GET';
  sendJson(res, 405, headers, { error: { code: 'method_not_allowed', message: `${req.method} is not allowed here; use HEAD, GET.` } });
  return true;
}

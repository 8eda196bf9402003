// Small writers for responses made without Koa (the media lane): JSON errors in the API's shape.
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

export function sendJson(res: ServerResponse, status: number, headers: OutgoingHttpHeaders, body: unknown): void {
  const text = Buffer.from(JSON.stringify(body));
  headers['Content-Type'] = 'application/json; charset=utf-8';
  headers['Content-Length'] = text.length;
  res.writeHead(status, headers).end(res.req.method === 'HEAD' ? undefined : text);
}

// Sends a media body the way players and tools expect (RFC 9110): validators and `304` for conditional
// requests, `Accept-Ranges` with one `Range` answered `206` (or `416` past the end), `HEAD` as headers only.
// Bytes held in memory go out as views of the one shared Buffer; files are streamed from the opened handle.
import type { Context } from 'koa';
import type { MediaBody } from '../../media/embedded/media-http';
import { byteRange } from '../byte-range';
import { notModified } from '../conditional';

export function sendMedia(ctx: Context, m: MediaBody): void {
  ctx.type = m.type;
  ctx.set('Cache-Control', m.cache);
  ctx.set('Access-Control-Allow-Origin', '*');
  ctx.set('Accept-Ranges', 'bytes');
  if (m.etag) ctx.set('ETag', m.etag);
  if (m.lastModified) ctx.set('Last-Modified', m.lastModified);
  ctx.status = 200;
  if (notModified({ ifNoneMatch: ctx.get('If-None-Match'), ifModifiedSince: ctx.get('If-Modified-Since') }, m)) {
    ctx.status = 304;
    m.file?.close();
    return;
  }
  // If-Range names the version a client holds part of: a range of another version would corrupt it
  const ifRange = ctx.get('If-Range');
  const rangeApplies = !ifRange || ifRange === m.etag || ifRange === m.lastModified;
  const range = rangeApplies ? byteRange(ctx.get('Range'), m.size) : { whole: true as const };
  if ('unsatisfiable' in range) {
    m.file?.close();
    ctx.status = 416;
    ctx.set('Content-Range', `bytes */${m.size}`);
    ctx.body = { error: { code: 'range_not_satisfiable', message: `The range starts past the end (${m.size} bytes).` } };
    return;
  }
  let start = 0;
  let end = m.size - 1;
  if (!('whole' in range)) {
    ({ start, end } = range);
    ctx.status = 206;
    ctx.set('Content-Range', `bytes ${start}-${end}/${m.size}`);
  }
  const length = Math.max(0, end - start + 1);
  if (ctx.method === 'HEAD') {
    ctx.length = length;
    m.file?.close();
    return;
  }
  if (m.bytes) {
    ctx.body = length === m.size ? m.bytes : m.bytes.subarray(start, end + 1);
    m.sent?.(length);
    return;
  }
  const stream = m.file!.stream(start, end);
  ctx.body = stream; // Koa pipes it with backpressure and destroys it when the response closes
  ctx.length = length;
  stream.once('close', () => m.sent?.((stream as { bytesRead?: number }).bytesRead ?? 0));
}

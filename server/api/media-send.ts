// Sends a media body the way players and tools expect (RFC 9110): validators and `304` for conditional
// requests, `Accept-Ranges` with one `Range` answered `206` (or `416` past the end), `HEAD` as headers only.
// Bytes held in memory go out as views of the one shared Buffer; files are streamed from the opened handle,
// paused by the client's socket and destroyed when it goes.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { MediaBody } from '../media/embedded/media-http';
import { byteRange } from './byte-range';
import { notModified } from './conditional';
import { sendJson } from './raw-response';

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
};

export function sendMedia(req: IncomingMessage, res: ServerResponse, headers: OutgoingHttpHeaders, m: MediaBody): void {
  headers['Cache-Control'] = m.cache;
  headers['Access-Control-Allow-Origin'] = '*';
  headers['Accept-Ranges'] = 'bytes';
  if (m.etag) headers.ETag = m.etag;
  if (m.lastModified) headers['Last-Modified'] = m.lastModified;
  if (notModified({ ifNoneMatch: header(req, 'if-none-match'), ifModifiedSince: header(req, 'if-modified-since') }, m)) {
    m.file?.close();
    res.writeHead(304, headers).end();
    return;
  }
  // If-Range names the version a client holds part of: a range of another version would corrupt it
  const ifRange = header(req, 'if-range');
  const rangeApplies = !ifRange || ifRange === m.etag || ifRange === m.lastModified;
  const range = rangeApplies ? byteRange(header(req, 'range'), m.size) : { whole: true as const };
  if ('unsatisfiable' in range) {
    m.file?.close();
    headers['Content-Range'] = `bytes */${m.size}`;
    sendJson(res, 416, headers, { error: { code: 'range_not_satisfiable', message: `The range starts past the end (${m.size} bytes).` } });
    return;
  }
  let start = 0;
  let end = m.size - 1;
  let status = 200;
  if (!('whole' in range)) {
    ({ start, end } = range);
    status = 206;
    headers['Content-Range'] = `bytes ${start}-${end}/${m.size}`;
  }
  const length = Math.max(0, end - start + 1);
  headers['Content-Type'] = m.type;
  headers['Content-Length'] = length;
  if (req.method === 'HEAD') {
    m.file?.close();
    res.writeHead(status, headers).end();
    return;
  }
  if (m.bytes) {
    res.writeHead(status, headers).end(length === m.size ? m.bytes : m.bytes.subarray(start, end + 1));
    m.sent?.(length);
    return;
  }
  res.writeHead(status, headers);
  const stream = m.file!.stream(start, end);
  stream.once('close', () => m.sent?.((stream as { bytesRead?: number }).bytesRead ?? 0));
  stream.once('error', () => res.destroy()); // the status line is out: a cut connection is all that is left to say
  res.once('close', () => stream.destroy());
  stream.pipe(res);
}

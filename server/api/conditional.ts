// Whether a GET/HEAD may be answered 304 (RFC 9110 §13.1.2–3, §13.2.2): If-None-Match against the ETag (weak
// comparison, a list or `*`); without it, If-Modified-Since against Last-Modified. Unlike Koa's ctx.fresh (the
// `fresh` module), a request's `Cache-Control: no-cache` does not turn it off: that asks caches to revalidate
// with the origin, and this is the origin (fetch adds it to every conditional request).
const opaque = (tag: string): string => tag.trim().replace(/^W\//, '');

export function notModified(
  headers: { ifNoneMatch?: string; ifModifiedSince?: string },
  validators: { etag?: string; lastModified?: string },
): boolean {
  const { ifNoneMatch, ifModifiedSince } = headers;
  if (ifNoneMatch) {
    if (!validators.etag) return false;
    if (ifNoneMatch.trim() === '*') return true;
    const mine = opaque(validators.etag);
    return ifNoneMatch.split(',').some((t) => opaque(t) === mine);
  }
  if (!ifModifiedSince || !validators.lastModified) return false;
  const since = Date.parse(ifModifiedSince);
  const modified = Date.parse(validators.lastModified);
  return Number.isFinite(since) && Number.isFinite(modified) && modified <= since;
}

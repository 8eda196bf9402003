// A raw request body of at most `limit` bytes, counted while it arrives: a longer body is refused (413) after
// limit + 1 bytes, never buffered further, and a declared Content-Length over the limit before any is read.
import type { IncomingMessage } from 'node:http';
import { DomainError, InvalidInput } from '../errors';

const tooLarge = (limit: number) =>
  new DomainError('too_large', 'payload_too_large', `The body may be at most ${limit} bytes (${Math.round(limit / 1024 / 1024 * 10) / 10} MB).`);

/** Refuses what cannot be read as plain bytes of the right size, before reading anything. */
export function checkBodyHeaders(req: IncomingMessage, limit: number): void {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity') {
    // a compressed image gains nothing, and a decompression bomb would grow past the limit in memory
    throw new DomainError('unsupported_media', 'unsupported_content_encoding', 'Send the body without Content-Encoding.');
  }
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit) throw tooLarge(limit);
}

export function readLimitedBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  checkBodyHeaders(req, limit);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (err: Error | null) => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('aborted', onAborted).off('close', onAborted);
      if (err) {
        req.pause(); // Node drains (and drops) the rest once the response is sent
        reject(err);
      } else {
        resolve(Buffer.concat(chunks, size));
      }
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) done(tooLarge(limit));
      else chunks.push(chunk);
    };
    const onEnd = () => done(size === 0 ? new InvalidInput('Send the image as the request body.', 'body_missing') : null);
    const onError = () => done(new InvalidInput('The request body could not be read.', 'invalid_body'));
    // a client gone before the end (closed before 'end'): settle, so whatever the upload holds is released
    const onAborted = onError;
    req.on('data', onData).on('end', onEnd).on('error', onError).on('aborted', onAborted).on('close', onAborted);
  });
}

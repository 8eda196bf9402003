// JSON request bodies, at most 16 KiB. Anything that goes wrong while reading one is the client's
// doing (a broken gzip/br stream, a bad charset), so it becomes a 4xx, never a 500. Bodies of other types
// (the cover upload's raw images) are left unread here, for their route to read with its own limit.
import { bodyParser } from '@koa/bodyparser';
import type { Middleware } from 'koa';
import { InvalidInput } from '../../errors';

export const JSON_BODY_LIMIT = '16kb';

export function jsonBody(): Middleware {
  return bodyParser({
    enableTypes: ['json'],
    jsonLimit: JSON_BODY_LIMIT,
    onError(err) {
      const { status, type } = err as { status?: number; type?: string };
      // too large, unsupported charset/encoding, and JSON syntax errors (co-body's carry no `type`) keep their status
      if (status === 413 || status === 415 || (status === 400 && type === undefined)) throw err;
      // the rest (a broken gzip/br stream, a body shorter than its Content-Length, …) could not be read at all
      throw new InvalidInput('The request body could not be read; check its Content-Encoding and Content-Length.', 'invalid_body');
    },
  });
}

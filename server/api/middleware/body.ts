// JSON request bodies, at most 16 KiB. Anything that goes wrong while reading one is the client's
// doing (a broken gzip/br stream, a bad charset), so it becomes a 4xx, never a 500.
import { bodyParser } from '@koa/bodyparser';
import type { Middleware } from 'koa';
import { InvalidInput } from '../../errors';

export const JSON_BODY_LIMIT = '16kb';

export function jsonBody(): Middleware {
  return bodyParser({
    enableTypes: ['json'],
    jsonLimit: JSON_BODY_LIMIT,
    onError(err) {
      const status = (err as { status?: number }).status;
      if (status && status >= 400 && status < 500) throw err; // too large, invalid JSON, …: mapped as they are
      throw new InvalidInput('The request body could not be read; check its Content-Encoding.', 'invalid_body');
    },
  });
}

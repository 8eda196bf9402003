// One webhook attempt: POST the body with its signature, wait at most `timeoutMs`, read no more than a few KiB
// of the answer. Resolves the status (any, 2xx or not) or rejects with why there was none.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** what of a receiver's answer is read (for the deliveries view's last error); the rest is dropped unread */
export const RESPONSE_READ_MAX = 2048;

export interface PostResult { status: number; excerpt: string }

export type WebhookPost = (url: string, body: string, headers: Record<string, string>, timeoutMs: number) => Promise<PostResult>;

export const postWebhook: WebhookPost = (url, body, headers, timeoutMs) => new Promise((resolve, reject) => {
  const target = new URL(url);
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const req = request(target, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'wxlive-webhooks', ...headers },
    timeout: timeoutMs,
  });
  // one deadline for the whole attempt: connecting, sending, and the answer's first bytes
  const deadline = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
  req.on('error', (err) => { clearTimeout(deadline); reject(err); });
  req.on('response', (res: IncomingMessage) => {
    let excerpt = '';
    const done = () => {
      clearTimeout(deadline);
      res.destroy(); // the rest of the answer is never read
      resolve({ status: res.statusCode ?? 0, excerpt });
    };
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      excerpt += chunk;
      if (excerpt.length >= RESPONSE_READ_MAX) { excerpt = excerpt.slice(0, RESPONSE_READ_MAX); done(); }
    });
    res.on('end', done);
    res.on('error', done);
  });
  req.end(body);
});

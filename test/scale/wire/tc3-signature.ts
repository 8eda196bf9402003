// The TC3-HMAC-SHA256 signature @cloudbase/signature-nodejs puts on every SDK request (tcb flavour, with
// SignedParams), recomputed on the receiving side so the CloudBase double refuses a wrong secretKey.
import { createHash, createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface Tc3Input {
  method: string;
  /** the Host header the client sent (it is part of the signed URL) */
  host: string;
  url: URL;
  headers: IncomingHttpHeaders;
  params: Record<string, unknown>;
  /** `<date>/<service>/tc3_request` from the Credential */
  scope: string;
  signedParams: string[];
  signedHeaders: string[];
  secretKey: string;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const hmac = (key: Buffer | string, s: string) => createHmac('sha256', key).update(s).digest();
// values are signed as strings: non-strings JSON-encoded, then trimmed (signature-nodejs formatKeyAndValue)
const asText = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v)).trim();

export function tc3Signature(i: Tc3Input): string {
  const params = new Map(Object.entries(i.params).map(([k, v]) => [k.toLowerCase(), v]));
  const payload = createHash('sha256');
  for (const key of i.signedParams.filter(Boolean)) {
    payload.update(`&${key}=`);
    payload.update(asText(params.get(key)));
    payload.update('\r\n');
  }
  const headerLines = i.signedHeaders.map((h) => `${h}:${asText(i.headers[h] ?? '').toLowerCase()}\n`).join('');
  const canonical = [
    i.method.toLowerCase(),
    `//${i.host}${i.url.pathname}`, // the signer strips only the scheme and the query
    i.url.search.slice(1),
    headerLines,
    i.signedHeaders.join(';'),
    payload.digest('hex'),
  ].join('\n');
  const [date = '', service = ''] = i.scope.split('/');
  const toSign = ['TC3-HMAC-SHA256', asText(i.headers['x-timestamp'] ?? ''), i.scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(`TC3${i.secretKey}`, date), service), 'tc3_request');
  return hmac(key, toSign).toString('hex');
}

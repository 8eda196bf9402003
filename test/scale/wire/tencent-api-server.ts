// A local HTTP server answering like the Tencent Cloud API for the two `live` actions wxlive calls
// (DescribeLiveStreamState, DropLiveStream), as tencentcloud-sdk-nodejs sends them: POST / with a JSON body,
// X-TC-Action / X-TC-Version / X-TC-Timestamp headers and a TC3-HMAC-SHA256 Authorization, which is
// recomputed here with the secret key, so a request signed with another key is refused like the real API does.
// Answers are `{"Response": {…, "RequestId"}}`, errors `{"Response": {"Error": {Code, Message}, "RequestId"}}`.
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';

export type StreamState = 'active' | 'inactive' | 'forbid';

export interface LiveApiCall { action: string; version: string; region: string | undefined; params: Record<string, unknown> }

export interface TencentApiServer {
  /** give this to the server as TENCENT_API_ENDPOINT (a loopback host: the client speaks plain http) */
  endpoint: string;
  secretId: string;
  secretKey: string;
  /** what DescribeLiveStreamState answers per stream name (default inactive); DropLiveStream sets inactive */
  readonly streams: Map<string, StreamState>;
  /** every correctly signed call, in arrival order */
  readonly calls: LiveApiCall[];
  /** the next `count` calls answer this Tencent error */
  failNext(code: string, count?: number): void;
  close(): Promise<void>;
}

const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');
const hmac = (key: Buffer | string, s: string) => createHmac('sha256', key).update(s).digest();

/** The TC3 signature of a request as the SDK computes it (common/sign.js, sign3, POST with a JSON body). */
function tc3(req: IncomingMessage, body: Buffer, date: string, service: string, secretKey: string): string {
  const hostname = (req.headers.host ?? '').replace(/:\d+$/, '');
  const canonical = ['POST', '/', '', `content-type:${req.headers['content-type'] ?? ''}\nhost:${hostname}\n`, 'content-type;host', sha256(body)]
    .join('\n');
  const toSign = ['TC3-HMAC-SHA256', String(req.headers['x-tc-timestamp'] ?? ''), `${date}/${service}/tc3_request`, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(`TC3${secretKey}`, date), service), 'tc3_request');
  return hmac(key, toSign).toString('hex');
}

export async function startTencentApiServer(opts: { secretId?: string; secretKey?: string } = {}): Promise<TencentApiServer> {
  const secretId = opts.secretId ?? 'AKIDwxlivelivetest';
  const secretKey = opts.secretKey ?? randomBytes(16).toString('hex');
  const streams = new Map<string, StreamState>();
  const calls: LiveApiCall[] = [];
  const faults: string[] = [];

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const RequestId = randomUUID();
      const reply = (response: Record<string, unknown>) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ Response: { ...response, RequestId } }));
      };
      const error = (Code: string, Message: string) => reply({ Error: { Code, Message } });
      const body = Buffer.concat(chunks);
      const m = /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([^/]+)\/tc3_request, SignedHeaders=content-type;host, Signature=([0-9a-f]{64})$/
        .exec(req.headers.authorization ?? '');
      if (req.method !== 'POST' || req.url !== '/') return error('InvalidParameter', 'POST / only');
      if (!m || m[1] !== secretId) return error('AuthFailure.SecretIdNotFound', 'The SecretId is not found.');
      if (tc3(req, body, m[2]!, m[3]!, secretKey) !== m[4]) return error('AuthFailure.SignatureFailure', 'The provided credentials could not be validated.');
      const action = String(req.headers['x-tc-action'] ?? '');
      const params = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
      calls.push({ action, version: String(req.headers['x-tc-version'] ?? ''), region: req.headers['x-tc-region'] as string | undefined, params });
      const fault = faults.shift();
      if (fault) return error(fault, 'injected failure');
      const name = String(params.StreamName ?? '');
      switch (action) {
        case 'DescribeLiveStreamState': return reply({ StreamState: streams.get(name) ?? 'inactive' });
        case 'DropLiveStream':
          streams.set(name, 'inactive');
          return reply({});
        default: return error('InvalidAction', `The action ${action} is not supported by this double.`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `127.0.0.1:${port}`, secretId, secretKey, streams, calls,
    failNext(code, count = 1) { for (let i = 0; i < count; i++) faults.push(code); },
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}

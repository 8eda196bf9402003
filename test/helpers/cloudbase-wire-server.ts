// A local HTTP server speaking CloudBase's database wire protocol, as @cloudbase/node-sdk 3.x uses it:
// `POST <serviceUrl>?env=…` with `{action: 'database.*', collectionName, query, data, order, …}` where query,
// data and order are canonical EJSON strings; answers `{requestId, data}` or `{code, message, requestId}`.
// The SDK is pointed here with `serviceUrl`, so tests run the real SDK code path. Each request is applied
// inside one synchronous turn of the event loop, so a where-clause update is atomic, as on the real service.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { decodeEjson, encodeEjson, type Doc } from '../scale/wire/ejson';
import { applyUpdate, compareValues, matches, sameValue } from '../scale/wire/mongo-semantics';
import { tc3Signature } from '../scale/wire/tc3-signature';

export interface WireRequest { action: string; collectionName?: string; query?: unknown; data?: unknown; env: string | null }

/**
 * What the next request(s) should suffer, for error-mapping tests. With `collection`, only a request on that
 * collection suffers it: a server's background queries (other collections) cannot take it first; with
 * `orderedBy` too, only a query sorted first by that field (a listing, not a sweeper's query of the same
 * collection).
 */
export type Fault = (
  | { kind: 'tcb'; code: string; message: string } // a CloudBase error body (HTTP 200)
  | { kind: 'http'; status: number; body?: string } // a gateway failure (default body: a JSON message)
  | { kind: 'hang' } // never answer: the SDK times out
) & { collection?: string; orderedBy?: string };

export interface CloudbaseWireServer {
  /** give this to the SDK as serviceUrl */
  serviceUrl: string;
  env: string;
  secretId: string;
  secretKey: string;
  /** every request received, decoded, in arrival order */
  readonly requests: WireRequest[];
  /** the stored documents of a collection (decoded), or undefined if it does not exist */
  collection(name: string): Map<string, Doc> | undefined;
  /** make the next `count` requests fail */
  inject(fault: Fault, count?: number): void;
  close(): Promise<void>;
}

class WireError extends Error {
  constructor(readonly code: string, message: string) { super(message); }
}

const MAX_BODY = 1 << 20;

export async function startCloudbaseWireServer(opts: { env?: string; secretId?: string; secretKey?: string } = {}): Promise<CloudbaseWireServer> {
  const env = opts.env ?? 'wxlive-test-1a2b3c';
  const secretId = opts.secretId ?? 'AKIDwxlivetest';
  const secretKey = opts.secretKey ?? randomBytes(16).toString('hex');
  const collections = new Map<string, Map<string, Doc>>();
  const requests: WireRequest[] = [];
  const faults: Fault[] = [];

  function coll(name: unknown): Map<string, Doc> {
    const c = typeof name === 'string' ? collections.get(name) : undefined;
    if (!c) throw new WireError('DATABASE_COLLECTION_NOT_EXIST', '[ResourceNotFound] Db or Table not exist.');
    return c;
  }

  const filterOf = (p: Record<string, unknown>): Doc => (p.query === undefined ? {} : decodeEjson(p.query) as Doc);
  const ordered = (docs: Doc[], order: unknown): Doc[] => {
    if (order === undefined) return docs;
    const keys = Object.entries(decodeEjson(order) as Record<string, number>);
    return [...docs].sort((a, b) => {
      for (const [k, dir] of keys) {
        const c = compareValues(a[k], b[k]);
        if (c !== 0) return dir < 0 ? -c : c;
      }
      return 0;
    });
  };

  function handle(p: Record<string, unknown>): unknown {
    switch (p.action) {
      case 'database.addCollection': {
        if (typeof p.collectionName !== 'string' || !p.collectionName) throw new WireError('INVALID_PARAM', 'collectionName is required');
        if (collections.has(p.collectionName)) throw new WireError('DATABASE_COLLECTION_ALREADY_EXIST', 'collection already exists');
        collections.set(p.collectionName, new Map());
        return {};
      }
      case 'database.insertDocument': {
        const c = coll(p.collectionName);
        if (!Array.isArray(p.data)) throw new WireError('INVALID_PARAM', 'data must be an array of EJSON strings');
        const docs = p.data.map((s) => decodeEjson(s) as Doc);
        const ids = docs.map((d) => (d._id === undefined ? randomBytes(16).toString('hex') : d._id));
        for (const id of ids) {
          if (typeof id !== 'string') throw new WireError('INVALID_PARAM', '_id must be a string');
          if (c.has(id) || ids.filter((x) => x === id).length > 1) {
            throw new WireError('DATABASE_REQUEST_FAILED', `E11000 duplicate key error collection: ${String(p.collectionName)} index: _id_ dup key: { _id: "${id}" }`);
          }
        }
        docs.forEach((d, i) => c.set(ids[i] as string, { ...d, _id: ids[i] }));
        return { insertedIds: ids };
      }
      case 'database.getDocument': {
        const filter = filterOf(p);
        let docs = ordered([...coll(p.collectionName).values()].filter((d) => matches(d, filter)), p.order);
        const offset = typeof p.offset === 'number' ? p.offset : 0;
        const limit = typeof p.limit === 'number' ? Math.min(p.limit, 1000) : 100;
        docs = docs.slice(offset, offset + limit);
        return { list: docs.map((d) => JSON.stringify(encodeEjson(d))), offset, limit };
      }
      case 'database.calculateDocument': {
        const filter = filterOf(p);
        return { total: [...coll(p.collectionName).values()].filter((d) => matches(d, filter)).length };
      }
      case 'database.modifyDocument': {
        const c = coll(p.collectionName);
        const filter = filterOf(p);
        const data = decodeEjson(p.data) as Doc;
        const targets = [...c.values()].filter((d) => matches(d, filter)).slice(0, p.multi === true ? undefined : 1);
        let updated = 0;
        for (const doc of targets) {
          // merge=false is doc.set(): a whole-document replacement; merge=true applies update operators
          const next = p.merge === false ? { ...data, _id: doc._id } : applyUpdate(doc, data);
          if (!sameValue(next, doc)) updated++; // like MongoDB's nModified: a no-op write counts 0
          c.set(doc._id as string, next);
        }
        if (targets.length === 0 && p.upsert === true) {
          const id = (filter._id as string | undefined) ?? randomBytes(16).toString('hex');
          c.set(id, { ...(p.merge === false ? data : applyUpdate({}, data)), _id: id });
          return { updated: 0, upsert_id: id };
        }
        return { updated, upsert_id: null };
      }
      case 'database.removeDocument': {
        const c = coll(p.collectionName);
        const filter = filterOf(p);
        const targets = [...c.values()].filter((d) => matches(d, filter)).slice(0, p.multi === true ? undefined : 1);
        for (const d of targets) c.delete(d._id as string);
        return { deleted: targets.length };
      }
      default:
        throw new WireError('INVALID_PARAM', `unsupported action ${String(p.action)}`);
    }
  }

  /** The request must carry our env and be signed by our secretId (TC3-HMAC-SHA256, as the SDK signs). */
  function checkAuth(req: IncomingMessage, url: URL, p: Record<string, unknown>): void {
    if (url.searchParams.get('env') !== env || p.envName !== env) throw new WireError('INVALID_ENV', `env ${url.searchParams.get('env')} not found`);
    const auth = req.headers.authorization ?? '';
    const m = /^TC3-HMAC-SHA256 Credential=([^/]+)\/([^,]+), SignedParams=([^,]*), SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(auth);
    if (!m || m[1] !== secretId) throw new WireError('SIGN_PARAM_INVALID', 'the credential is not valid');
    const expected = tc3Signature({ method: req.method ?? '', host: req.headers.host ?? '', url, headers: req.headers, params: p,
      scope: m[2]!, signedParams: m[3]!.split(';'), signedHeaders: m[4]!.split(';'), secretKey });
    if (expected !== m[5]) throw new WireError('SIGN_PARAM_INVALID', 'signature mismatch');
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => { size += c.length; if (size <= MAX_BODY) chunks.push(c); });
    req.on('end', () => {
      const requestId = randomUUID();
      const fault = takeFault(faults, targetOf(chunks));
      if (fault?.kind === 'hang') return; // the socket stays open until close()
      if (fault?.kind === 'http') {
        res.statusCode = fault.status;
        res.end(fault.body ?? JSON.stringify({ message: 'gateway error' }));
        return;
      }
      const reply = (body: unknown) => { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify(body)); };
      if (fault?.kind === 'tcb') return reply({ code: fault.code, message: fault.message, requestId });
      try {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        if (req.method !== 'POST' || url.pathname !== '/admin') throw new WireError('INVALID_PARAM', 'POST /admin only');
        const p = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        checkAuth(req, url, p);
        requests.push({ action: String(p.action), collectionName: p.collectionName as string | undefined,
          query: p.query === undefined ? undefined : decodeEjson(p.query),
          data: p.data === undefined ? undefined : Array.isArray(p.data) ? p.data.map(decodeEjson) : decodeEjson(p.data),
          env: url.searchParams.get('env') });
        reply({ requestId, data: handle(p) });
      } catch (err) {
        const e = err instanceof WireError ? err : new WireError('INVALID_PARAM', (err as Error).message);
        reply({ code: e.code, message: e.message, requestId });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;

  return {
    serviceUrl: `http://127.0.0.1:${port}/admin`, env, secretId, secretKey, requests,
    collection: (name) => collections.get(name),
    inject(fault, count = 1) { for (let i = 0; i < count; i++) faults.push(fault); },
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}

/**
 * Environment for processes that run the SDK against this double. Without TENCENTCLOUD=true the SDK probes
 * http://metadata.tencentyun.com on every request to learn whether it runs on Tencent Cloud; with
 * serviceUrl set, the answer changes nothing but that probe, and tests must stay on loopback.
 * SILENCE=true stops the SDK's ">3s" console warning, whose timer outlives a timed-out request.
 */
export const SDK_TEST_ENV = { TENCENTCLOUD: 'true', SILENCE: 'true' } as const;

export function keepSdkOnLoopback(): void {
  Object.assign(process.env, SDK_TEST_ENV);
}

interface FaultTarget { collection?: string; orderedBy?: string }

/** The collection a request body names and the field it sorts by first, read leniently (a body that is not JSON names none). */
function targetOf(chunks: Buffer[]): FaultTarget {
  try {
    const p = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { collectionName?: unknown; order?: unknown };
    const order = typeof p.order === 'string' ? Object.keys(decodeEjson(p.order) as Record<string, unknown>)[0] : undefined;
    return { collection: typeof p.collectionName === 'string' ? p.collectionName : undefined, orderedBy: order };
  } catch {
    return {};
  }
}

/** The first fault meant for this request (any, or one naming its collection and sort field), taken off the list. */
function takeFault(faults: Fault[], target: FaultTarget): Fault | undefined {
  const at = faults.findIndex((f) => (f.collection === undefined || f.collection === target.collection)
    && (f.orderedBy === undefined || f.orderedBy === target.orderedBy));
  return at < 0 ? undefined : faults.splice(at, 1)[0];
}

// Tiny JSON client for tests: real HTTP, returns status, headers and parsed body. Every answer is checked
// against the OpenAPI document (/api/openapi.json): an answer the document does not describe fails the call.
import { request as httpRequest } from 'node:http';
import type { CreateRoomResponse } from '../../typings/api';
import { openApiProblems } from './openapi-check';

export interface JsonReply<T = any> { status: number; headers: Headers; body: T }

export async function call<T = any>(
  base: string, method: string, path: string,
  opts: {
    body?: unknown; raw?: string; token?: string; headers?: Record<string, string>;
    /** false for a server that is not wxlive (a fake WeChat or Tencent API): its answers are not checked */
    checkDocument?: boolean;
  } = {},
): Promise<JsonReply<T>> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.raw !== undefined) body = opts.raw;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  const res = await fetch(base + path, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try { parsed = text ? JSON.parse(text) : null; } catch { /* not JSON: keep the text */ }
  if (opts.checkDocument !== false) {
    const json = /^application\/(?:[\w.+-]*\+)?json\b/i.test(res.headers.get('content-type') ?? '');
    const problems = openApiProblems(method, path, res.status, json, parsed);
    if (problems.length) {
      throw new Error(`the answer does not match the OpenAPI document (server/api/openapi, response-schemas.ts):\n  ${problems.join('\n  ')}\n`
        + `body: ${text.slice(0, 500)}`);
    }
  }
  return { status: res.status, headers: res.headers, body: parsed as T };
}

/** Signs in (dev mode) and returns the bearer token. */
export async function login(base: string, code = 'host-a'): Promise<string> {
  const r = await call(base, 'POST', '/api/auth/login', { body: { code } });
  if (r.status !== 200) throw new Error(`login failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.token as string;
}

/** Signs in and creates a room; returns the host's token and the 201 body. */
export async function createRoom(
  base: string, title = 'A room', code = 'host-a',
): Promise<{ token: string } & CreateRoomResponse> {
  const token = await login(base, code);
  const r = await call(base, 'POST', '/api/rooms', { token, body: { title } });
  if (r.status !== 201) throw new Error(`create failed: ${r.status} ${JSON.stringify(r.body)}`);
  return { token, room: r.body.room, push: r.body.push };
}

/**
 * A request through node:http, for what fetch will not send: a chosen Host header, a body without
 * Content-Length (chunked), or bytes that are not valid UTF-8.
 */
export function rawRequest(
  base: string, method: string, path: string, opts: { headers?: Record<string, string>; chunks?: (string | Buffer)[] } = {},
): Promise<JsonReply> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, method, path, headers: opts.headers ?? {} }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        let body: unknown = text;
        try { body = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
        const headers = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
        resolve({ status: res.statusCode ?? 0, headers, body });
      });
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('rawRequest timed out')));
    for (const c of opts.chunks ?? []) req.write(c);
    req.end();
  });
}

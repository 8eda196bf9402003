// Cross-cutting HTTP behaviour: CORS, request ids, the access log, and JSON errors for unknown routes.
import { call, login } from '../helpers/http';
import { capturingLogger, startTestServer, type TestServer } from '../helpers/test-server';

let s: TestServer;
let lines: string[];
beforeAll(async () => {
  const captured = capturingLogger();
  lines = captured.lines;
  s = await startTestServer({}, { log: captured.log });
});
afterAll(async () => { await s.stop(true); });

const logged = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

describe('CORS', () => {
  test('a preflight from any origin is allowed with the methods and headers the API uses', async () => {
    const r = await call(s.url, 'OPTIONS', '/api/rooms', {
      headers: { origin: 'https://h5.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(r.status).toBe(204);
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
    expect(r.headers.get('access-control-allow-methods')).toMatch(/POST/);
    expect(r.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    expect(Number(r.headers.get('access-control-max-age'))).toBeGreaterThan(0);
  });

  test('simple and error responses carry the CORS headers and expose X-Request-Id', async () => {
    const ok = await call(s.url, 'GET', '/api/rooms', { headers: { origin: 'https://h5.example.com' } });
    expect(ok.headers.get('access-control-allow-origin')).toBe('*');
    expect(ok.headers.get('access-control-expose-headers')).toMatch(/X-Request-Id/i);
    const bad = await call(s.url, 'POST', '/api/rooms', { headers: { origin: 'https://h5.example.com' }, body: { title: 'x' } });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('request ids', () => {
  test('a sane incoming X-Request-Id is echoed, also on errors', async () => {
    const r = await call(s.url, 'GET', '/healthz', { headers: { 'x-request-id': 'proxy-abc.123:7' } });
    expect(r.headers.get('x-request-id')).toBe('proxy-abc.123:7');
    const e = await call(s.url, 'GET', '/api/rooms/AAAAAAAAAAAA', { headers: { 'x-request-id': 'err-id-1' } });
    expect(e.status).toBe(404);
    expect(e.headers.get('x-request-id')).toBe('err-id-1');
  });

  test('a missing or unsafe one is replaced by a fresh UUID', async () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    const a = (await call(s.url, 'GET', '/healthz')).headers.get('x-request-id');
    const b = (await call(s.url, 'GET', '/healthz')).headers.get('x-request-id');
    expect(a).toMatch(uuid);
    expect(b).toMatch(uuid);
    expect(a).not.toBe(b);
    for (const given of ['has space', 'x'.repeat(65), '<script>']) {
      const r = await call(s.url, 'GET', '/healthz', { headers: { 'x-request-id': given } });
      expect(r.headers.get('x-request-id')).toMatch(uuid);
    }
  });
});

describe('access log', () => {
  test('one line per request with its id, method, path, status and duration; never the query string or token', async () => {
    const token = await login(s.url, 'logged-user');
    await call(s.url, 'GET', '/api/rooms?limit=3&note=secretish', { headers: { 'x-request-id': 'log-me-1' } });
    await call(s.url, 'POST', '/api/rooms', { token, body: { title: 'logged' }, headers: { 'x-request-id': 'log-me-2' } });
    const list = logged().filter((l) => l.reqId === 'log-me-1');
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ msg: 'request', method: 'GET', path: '/api/rooms', status: 200, ms: expect.any(Number) });
    expect(logged().filter((l) => l.reqId === 'log-me-2')[0]).toMatchObject({ method: 'POST', path: '/api/rooms', status: 201 });
    const all = lines.join('\n');
    expect(all).not.toContain('secretish');
    expect(all).not.toContain(token);
    expect(all).not.toContain(s.config.secrets.signingSecret);
  });

  test('an error is logged with its final status', async () => {
    await call(s.url, 'GET', '/api/rooms?limit=0', { headers: { 'x-request-id': 'log-me-3' } });
    expect(logged().filter((l) => l.reqId === 'log-me-3')[0]).toMatchObject({ status: 400 });
  });
});

describe('unknown routes and methods', () => {
  test('an unknown path → 404 JSON not_found', async () => {
    for (const path of ['/nope', '/api', '/api/roomz', '/api/rooms/AAAAAAAAAAAA/explode', '/api/admin/nope']) {
      const r = await call(s.url, 'GET', path);
      expect(r.status).toBe(404);
      expect(r.body).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    }
  });

  test('a known path with the wrong method → 405 JSON method_not_allowed with Allow', async () => {
    const r = await call(s.url, 'DELETE', '/api/rooms');
    expect(r.status).toBe(405);
    expect(r.body).toEqual({ error: { code: 'method_not_allowed', message: expect.any(String) } });
    expect(r.headers.get('allow')).toMatch(/GET/);
    expect(r.headers.get('allow')).toMatch(/POST/);
    // a method no route knows is the client's mistake too, not a 5xx
    const odd = await call(s.url, 'PROPFIND', '/api/rooms');
    expect(odd.status).toBe(405);
    expect(odd.body.error.code).toBe('method_not_allowed');
  });

  test('/metrics serves Prometheus text to the admin token only', async () => {
    const res = await fetch(`${s.url}/metrics`, { headers: { authorization: `Bearer ${s.config.secrets.adminToken}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toMatch(/^# HELP /m);
    const anonymous = await call(s.url, 'GET', '/metrics');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toEqual({ error: { code: 'admin_token_required', message: expect.any(String) } });
    const wrong = await call(s.url, 'GET', '/metrics', { token: 'not-the-admin-token' });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe('bad_admin_token');
  });
});

test('METRICS_PUBLIC=on serves /metrics without a token', async () => {
  await s.stop(true); // one embedded RTMP server per process
  s = await startTestServer({ METRICS_PUBLIC: 'on' });
  const res = await fetch(`${s.url}/metrics`);
  expect(res.status).toBe(200);
  expect(await res.text()).toMatch(/^wxlive_limit_refusals_total|^# HELP wxlive_/m);
});

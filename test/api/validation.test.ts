// Bad input over real HTTP: always a 4xx with the JSON error shape, never a 500 or a stack trace.
import { gzipSync } from 'node:zlib';
import { issueSessionToken } from '../../server/signing/session-token';
import { call, createRoom, login, rawRequest, type JsonReply } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/test-server';

let s: TestServer;
let token: string;
beforeAll(async () => {
  s = await startTestServer();
  token = await login(s.url);
});
afterAll(async () => { await s.stop(true); });

function expectError(r: JsonReply, status: number, code?: string): void {
  expect({ status: r.status, body: r.body }).toEqual({
    status, body: { error: { code: code ?? expect.stringMatching(/^[a-z_]+$/), message: expect.any(String) } },
  });
  expect(JSON.stringify(r.body)).not.toMatch(/\bat .*\.(ts|js):\d+/); // no stack frames
}

describe('POST /api/rooms body', () => {
  test.each<[string, string]>([
    ['malformed JSON', '{"title": "x",'],
    ['a bare string', '"just text"'],
    ['trailing garbage', '{"title":"x"} yes'],
  ])('%s → 400', async (_what, raw) => {
    const r = await call(s.url, 'POST', '/api/rooms', { token, raw });
    expect(r.status).toBe(400);
    expectError(r, 400);
  });

  test('malformed JSON is reported as invalid_json', async () => {
    expectError(await call(s.url, 'POST', '/api/rooms', { token, raw: '{nope' }), 400, 'invalid_json');
  });

  test.each<[string, unknown]>([
    ['missing title', {}],
    ['null title', { title: null }],
    ['numeric title', { title: 42 }],
    ['array title', { title: ['a'] }],
    ['object title', { title: { t: 'a' } }],
    ['empty title', { title: '' }],
    ['blank title', { title: '   \t ' }],
    ['65-character title', { title: 'x'.repeat(65) }],
    ['title with a newline', { title: 'two\nlines' }],
    ['title with a NUL', { title: 'a\u0000b' }],
    ['cover not a URL', { title: 'ok', cover: 'not a url' }],
    ['cover with another scheme', { title: 'ok', cover: 'javascript:alert(1)' }],
    ['cover a number', { title: 'ok', cover: 7 }],
    ['unknown field', { title: 'ok', hostId: 'someone-else' }],
    ['an array body', [{ title: 'ok' }]],
  ])('%s → 400 invalid_request naming the field', async (_what, body) => {
    const r = await call(s.url, 'POST', '/api/rooms', { token, body });
    expectError(r, 400, 'invalid_request');
  });

  test('the message names the field that is wrong', async () => {
    const r = await call(s.url, 'POST', '/api/rooms', { token, body: { title: 'x'.repeat(65) } });
    expect(r.body.error.message).toMatch(/^title: /);
  });

  test('title limits count characters after trimming: 64 is fine, also in CJK and emoji', async () => {
    for (const title of ['x'.repeat(64), '直'.repeat(64), '🎥'.repeat(64), `  ${'y'.repeat(64)}  `]) {
      const r = await call(s.url, 'POST', '/api/rooms', { token, body: { title } });
      expect(r.status).toBe(201);
      expect(r.body.room.title).toBe(title.trim());
    }
    expectError(await call(s.url, 'POST', '/api/rooms', { token, body: { title: '🎥'.repeat(65) } }), 400, 'invalid_request');
  });

  test('a body sent as text/plain is not parsed: 400, not a room', async () => {
    const r = await call(s.url, 'POST', '/api/rooms', { token, raw: '{"title":"x"}', headers: { 'content-type': 'text/plain' } });
    expectError(r, 400, 'invalid_request');
  });

  test('a body over 16 KiB → 413 payload_too_large, with or without Content-Length', async () => {
    const big = JSON.stringify({ title: 'x', pad: 'y'.repeat(17 * 1024) });
    expectError(await call(s.url, 'POST', '/api/rooms', { token, raw: big }), 413, 'payload_too_large');
    const chunked = await rawRequest(s.url, 'POST', '/api/rooms', {
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'transfer-encoding': 'chunked' },
      chunks: [big.slice(0, 9000), big.slice(9000)],
    });
    expectError(chunked, 413, 'payload_too_large');
    // just under the limit is parsed (and refused for its unknown field, not for size)
    const near = JSON.stringify({ title: 'x', pad: 'y'.repeat(15 * 1024) });
    expectError(await call(s.url, 'POST', '/api/rooms', { token, raw: near }), 400, 'invalid_request');
  });

  test('gzip bodies are read; a broken or oversized compressed body is a 4xx', async () => {
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'content-encoding': 'gzip' };
    const ok = await rawRequest(s.url, 'POST', '/api/rooms', { headers, chunks: [gzipSync('{"title":"zipped"}')] });
    expect(ok.status).toBe(201);
    expect(ok.body.room.title).toBe('zipped');
    expectError(await rawRequest(s.url, 'POST', '/api/rooms', { headers, chunks: ['not gzip at all'] }), 400, 'invalid_body');
    const br = { ...headers, 'content-encoding': 'br' };
    expectError(await rawRequest(s.url, 'POST', '/api/rooms', { headers: br, chunks: ['xx'] }), 400, 'invalid_body');
    // 20 KB of zeros inflate past the limit from a tiny request: still 413
    const bomb = gzipSync(JSON.stringify({ title: 'x', pad: '0'.repeat(20_000) }));
    expect(bomb.length).toBeLessThan(1024);
    expectError(await rawRequest(s.url, 'POST', '/api/rooms', { headers, chunks: [bomb] }), 413, 'payload_too_large');
  });

  test('login is validated the same way', async () => {
    expectError(await call(s.url, 'POST', '/api/auth/login', { body: {} }), 400, 'invalid_request');
    expectError(await call(s.url, 'POST', '/api/auth/login', { body: { code: 123 } }), 400, 'invalid_request');
    expectError(await call(s.url, 'POST', '/api/auth/login', { body: { code: '  ' } }), 400, 'invalid_request');
    expectError(await call(s.url, 'POST', '/api/auth/login', { body: { code: 'c'.repeat(257) } }), 400, 'invalid_request');
    expectError(await call(s.url, 'POST', '/api/auth/login', { raw: '{"code":' }), 400, 'invalid_json');
  });
});

describe('auth headers', () => {
  test('an expired session token → 401; the same claims unexpired work', async () => {
    const secret = s.config.secrets.signingSecret;
    const nowS = Math.floor(Date.now() / 1000);
    const expired = issueSessionToken(secret, { sub: 'dev_expired', exp: nowS - 1 });
    const r = await call(s.url, 'POST', '/api/rooms', { token: expired, body: { title: 'x' } });
    expectError(r, 401, 'unauthorized');
    expect(r.body.error.message).toMatch(/expired/);
    const fresh = issueSessionToken(secret, { sub: 'dev_expired', exp: nowS + 60 });
    expect((await call(s.url, 'POST', '/api/rooms', { token: fresh, body: { title: 'x' } })).status).toBe(201);
    const foreign = issueSessionToken('another-secret-of-at-least-32-chars!!', { sub: 'dev_expired', exp: nowS + 60 });
    expectError(await call(s.url, 'POST', '/api/rooms', { token: foreign, body: { title: 'x' } }), 401, 'unauthorized');
  });

  test.each<[string, Record<string, string>]>([
    ['no Authorization', {}],
    ['an empty bearer', { authorization: 'Bearer ' }],
    ['another scheme', { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }],
    ['garbage token', { authorization: 'Bearer not.a.token' }],
    ['the admin token as a user', { authorization: 'Bearer ADMIN' }],
  ])('creating a room with %s → 401', async (_what, headers) => {
    const h = headers.authorization === 'Bearer ADMIN' ? { authorization: `Bearer ${s.config.secrets.adminToken}` } : headers;
    expectError(await call(s.url, 'POST', '/api/rooms', { headers: h, body: { title: 'x' } }), 401, 'unauthorized');
  });
});

describe('GET /api/rooms query', () => {
  test.each(['0', '101', 'x', '1.5', '-1', '1e3', '%20'])('limit=%s → 400', async (limit) => {
    expectError(await call(s.url, 'GET', `/api/rooms?limit=${limit}`), 400, 'invalid_request');
  });

  test('limit 1 and 100 are accepted', async () => {
    await createRoom(s.url, 'one');
    await createRoom(s.url, 'two');
    const one = await call(s.url, 'GET', '/api/rooms?limit=1');
    expect(one.status).toBe(200);
    expect(one.body.rooms).toHaveLength(1);
    expect(typeof one.body.nextCursor).toBe('string');
    expect((await call(s.url, 'GET', '/api/rooms?limit=100')).status).toBe(200);
  });

  test('empty parameters count as absent', async () => {
    const r = await call(s.url, 'GET', '/api/rooms?status=&limit=&cursor=');
    expect(r.status).toBe(200);
    const all = await call(s.url, 'GET', '/api/rooms');
    expect(r.body).toEqual(all.body);
  });

  test('an unknown status → 400', async () => {
    expectError(await call(s.url, 'GET', '/api/rooms?status=banned'), 400, 'invalid_request');
  });

  test.each([
    ['not base64url', '!!!'],
    ['base64url of junk', Buffer.from('junk').toString('base64url')],
    ['JSON of the wrong shape', Buffer.from('{"a":1}').toString('base64url')],
    ['a forged position with a float time', Buffer.from('[1.5,"x"]').toString('base64url')],
    ['too long', 'A'.repeat(500)],
  ])('cursor %s → 400 invalid_cursor', async (_what, cursor) => {
    expectError(await call(s.url, 'GET', `/api/rooms?cursor=${encodeURIComponent(cursor)}`), 400, 'invalid_cursor');
  });

  test('repeated query parameters: the last one counts, and a bad last one is refused', async () => {
    const r = await call(s.url, 'GET', '/api/rooms?limit=50&limit=1');
    expect(r.status).toBe(200);
    expect(r.body.rooms).toHaveLength(1);
    expectError(await call(s.url, 'GET', '/api/rooms?limit=1&limit=500'), 400, 'invalid_request');
    const st = await call(s.url, 'GET', '/api/rooms?status=ended&status=idle&limit=100');
    expect(st.status).toBe(200);
    expect(st.body.rooms.every((x: { status: string }) => x.status === 'idle')).toBe(true);
    expect((await call(s.url, 'GET', '/api/rooms?cursor=a&cursor=!!')).status).toBe(400);
  });
});

describe('paths', () => {
  test('a malformed percent-escape in a room id → 4xx JSON, not 500', async () => {
    const r = await rawRequest(s.url, 'GET', '/api/rooms/%E0%A4%A');
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(r.body.error.code).toMatch(/^[a-z_]+$/);
  });
});

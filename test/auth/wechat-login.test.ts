// AUTH_MODE=wechat against a local server speaking jscode2session: success and each WeChat errcode.
import { code2session } from '../../server/auth/wechat-client';
import { ServiceUnavailable } from '../../server/errors';
import { call } from '../helpers/http';
import { capturingLogger, startTestServer, type TestServer } from '../helpers/test-server';
import { startWechatWireServer, type WechatWireServer, type WireReply } from './wechat-wire-server';

const SESSION_KEY = 'c2Vzc2lvbktleVNFQ1JFVDEyMw==';
const APPID = 'wx0123456789abcdef';
const APP_SECRET = 'app-secret-0123456789abcdef';

const REPLIES: Record<string, WireReply> = {
  'code-alice': { json: { openid: 'openid-alice', session_key: SESSION_KEY } },
  'code-alice-again': { json: { openid: 'openid-alice', session_key: SESSION_KEY + 'x' } },
  'code-bob': { json: { openid: 'openid-bob', session_key: SESSION_KEY, unionid: 'union-bob', errcode: 0, errmsg: 'ok' } },
  'code-invalid': { json: { errcode: 40029, errmsg: 'invalid code, rid: 1' } },
  'code-used': { json: { errcode: 40163, errmsg: 'code been used, rid: 2' } },
  'code-limited': { json: { errcode: 45011, errmsg: 'api minute-quota reach limit' } },
  'code-risky': { json: { errcode: 40226, errmsg: 'high risk user' } },
  'code-busy': { json: { errcode: -1, errmsg: 'system error' } },
  'code-unknown-err': { json: { errcode: 99999, errmsg: 'something new' } },
  'code-no-openid': { json: { session_key: SESSION_KEY } },
  'code-html': { text: '<html>bad gateway</html>', status: 502 },
  'code-hang': { hang: true },
};

let wire: WechatWireServer;
let s: TestServer;
let lines: string[];
beforeAll(async () => {
  wire = await startWechatWireServer((code) => REPLIES[code] ?? { json: { errcode: 40029, errmsg: 'invalid code' } });
  const captured = capturingLogger();
  lines = captured.lines;
  s = await startTestServer({
    AUTH_MODE: 'wechat', WECHAT_APPID: APPID, WECHAT_SECRET: APP_SECRET, WECHAT_API_BASE: `${wire.base}/gateway/`,
  }, { log: captured.log });
});
afterAll(async () => {
  await s.stop(true);
  await wire.close();
});

const login = (code: string) => call(s.url, 'POST', '/api/auth/login', { body: { code } });

test('success: asks jscode2session with appid, secret, js_code and grant_type, returns our own session', async () => {
  const r = await login('code-alice');
  expect(r.status).toBe(200);
  expect(wire.requests.at(-1)).toEqual({
    path: '/gateway/sns/jscode2session',
    query: { appid: APPID, secret: APP_SECRET, js_code: 'code-alice', grant_type: 'authorization_code' },
  });
  expect(r.body).toEqual({ token: expect.any(String), user: { id: expect.stringMatching(/^wx_[\w-]+$/) }, expiresAt: expect.any(String) });
  // the token is a working session: it creates a room owned by this user
  const room = await call(s.url, 'POST', '/api/rooms', { token: r.body.token, body: { title: 'wechat host' } });
  expect(room.status).toBe(201);
  expect(room.body.room.hostId).toBe(r.body.user.id);
});

test('the same openid is the same user on every login; unionid, when given, identifies the user', async () => {
  const a1 = await login('code-alice');
  const a2 = await login('code-alice-again');
  const b = await login('code-bob');
  expect(a2.body.user.id).toBe(a1.body.user.id);
  expect(b.status).toBe(200);
  expect(b.body.user.id).not.toBe(a1.body.user.id);
});

test('session_key and openid never reach the response or the logs; the app secret is never logged', async () => {
  const r = await login('code-alice');
  const text = JSON.stringify(r.body);
  expect(text).not.toContain(SESSION_KEY);
  expect(text).not.toContain('openid-alice');
  expect(text).not.toMatch(/session_key/i);
  expect(lines.length).toBeGreaterThan(0); // the log is really captured
  const logs = lines.join('\n');
  expect(logs).not.toContain(SESSION_KEY);
  expect(logs).not.toContain(APP_SECRET);
  expect(logs).not.toContain('openid-alice');
});

test.each<[string, number, string]>([
  ['code-invalid', 401, 'invalid_code'],
  ['code-used', 401, 'invalid_code'],
  ['code-limited', 429, 'rate_limited'],
  ['code-risky', 403, 'login_blocked'],
  ['code-busy', 503, 'wechat_unavailable'],
  ['code-unknown-err', 503, 'wechat_unavailable'],
  ['code-no-openid', 503, 'wechat_unavailable'],
  ['code-html', 503, 'wechat_unavailable'],
])('%s → %i %s', async (code, status, errorCode) => {
  const r = await login(code);
  expect(r.status).toBe(status);
  expect(r.body).toEqual({ error: { code: errorCode, message: expect.any(String) } });
  expect(r.body.token).toBeUndefined();
});

test('WeChat not answering → ServiceUnavailable after the timeout, not a hang', async () => {
  const started = Date.now();
  await expect(code2session({ apiBase: wire.base, appId: APPID, secret: APP_SECRET, timeoutMs: 300 }, 'code-hang'))
    .rejects.toBeInstanceOf(ServiceUnavailable);
  expect(Date.now() - started).toBeLessThan(3000);
});

test('over HTTP, a WeChat that never answers gives 503 within the client timeout (5 s), and the server stays up', async () => {
  const started = Date.now();
  const r = await login('code-hang');
  expect(r.status).toBe(503);
  expect(r.body.error.code).toBe('wechat_unavailable');
  expect(Date.now() - started).toBeLessThan(8000);
  expect((await call(s.url, 'GET', '/healthz')).status).toBe(200);
}, 15_000);

test('dev codes are not accepted in wechat mode', async () => {
  const r = await login('host-a');
  expect(r.status).toBe(401);
  expect(r.body.error.code).toBe('invalid_code');
});

// The media lane (server/api/media-lane.ts) answers /live and /replay ahead of Koa: what the API's middleware
// gives every response must still be there — request ids, CORS, the JSON error shape with its status, 405 with
// Allow, the access line without the signed query — and paths outside its shapes still reach Koa.
import { call, createRoom } from '../helpers/http';
import { capturingLogger, startTestServer, type TestServer } from '../helpers/test-server';
import { playUrls } from '../media/e2e/e2e-kit';

let s: TestServer;
let roomId: string;
let playlist: URL;
const logged = capturingLogger();

beforeAll(async () => {
  s = await startTestServer({ LOG_LEVEL: 'info' }, { log: logged.log });
  roomId = (await createRoom(s.url, 'lane')).room.id;
  playlist = new URL((await playUrls(s.url, roomId)).hls);
});

afterAll(async () => {
  await s?.stop(true);
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

test('a refusal is the API error shape with a request id, and a sane given id is echoed', async () => {
  const r = await call(s.url, 'GET', `/live/${roomId}/index.m3u8?expires=1&sign=x`);
  expect(r.status).toBe(403);
  expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect(r.body.error.code).toMatch(/^signature_/);
  expect(r.headers.get('x-request-id')).toMatch(UUID);
  const given = await call(s.url, 'GET', `/live/${roomId}/index.m3u8`, { headers: { 'x-request-id': 'proxy-7.a:b' } });
  expect(given.headers.get('x-request-id')).toBe('proxy-7.a:b');
  const insane = await call(s.url, 'GET', `/live/${roomId}/index.m3u8`, { headers: { 'x-request-id': 'a b<script>' } });
  expect(insane.headers.get('x-request-id')).toMatch(UUID);
});

test('a signed playlist of a room not live yet is a 404 JSON; HEAD gets its headers only', async () => {
  const r = await call(s.url, 'GET', playlist.pathname + playlist.search);
  expect(r.status).toBe(404);
  expect(r.body.error).toEqual({ code: 'not_found', message: expect.stringContaining('not started') });
  const head = await fetch(playlist, { method: 'HEAD' });
  expect(head.status).toBe(404);
  expect(await head.text()).toBe('');
});

test('CORS: a browser origin may read the body and the request id; the preflight is answered', async () => {
  const r = await call(s.url, 'GET', playlist.pathname + playlist.search, { headers: { origin: 'https://h5.example' } });
  expect(r.headers.get('access-control-expose-headers')).toBe('X-Request-Id');
  expect(r.headers.get('vary')).toBe('Origin');
  const pre = await fetch(playlist, {
    method: 'OPTIONS', headers: { origin: 'https://h5.example', 'access-control-request-method': 'GET' },
  });
  expect(pre.status).toBe(204);
  expect(pre.headers.get('access-control-allow-origin')).toBe('*');
});

test.each([
  ['POST', () => `/live/${roomId}/index.m3u8`],
  ['DELETE', () => `/live/${roomId}.flv`],
  ['PUT', () => `/replay/${roomId}/b1/index.m3u8`],
])('%s on a media path: 405 JSON naming the methods it takes', async (method, path) => {
  const r = await call(s.url, method, path());
  expect(r.status).toBe(405);
  expect(r.headers.get('allow')).toBe('HEAD, GET');
  expect(r.body.error.code).toBe('method_not_allowed');
});

test('a media-looking path of another shape is Koa\'s 404; a bad FLV name says what play URLs look like', async () => {
  const deep = await call(s.url, 'GET', `/live/${roomId}/a/b`);
  expect(deep.status).toBe(404);
  expect(deep.body.error.message).toBe(`Nothing at GET /live/${roomId}/a/b.`);
  const bad = await call(s.url, 'GET', '/live/not-a-room.mp4');
  expect(bad.status).toBe(404);
  expect(bad.body.error.message).toContain('/live/<roomId>.flv');
});

test('the access line names the path and status, never the signed query', async () => {
  await call(s.url, 'GET', `${playlist.pathname}${playlist.search}`, { headers: { 'x-request-id': 'line-check-1' } });
  const line = logged.lines.map((l) => JSON.parse(l)).find((l) => l.reqId === 'line-check-1' && l.msg === 'request');
  expect(line).toMatchObject({ method: 'GET', path: playlist.pathname, status: 404 });
  expect(typeof line.ms).toBe('number');
  expect(logged.lines.join('\n')).not.toContain(playlist.searchParams.get('sign')!);
});

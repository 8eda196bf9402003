// The content filter as startServer wires it: a refused message reaches nobody, is not stored, and its sender
// alone gets `notice content_rejected`. CHAT_FILTER=words with CHAT_WORDS_FILE; CHAT_FILTER=wechat with the openid
// from a wechat session, against a local HTTP server answering like WeChat.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, createRoom, login } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/test-server';
import type { ContentFilter, FilterInput } from '../../server/chat/content-filter/content-filter';
import { WordFilter } from '../../server/chat/content-filter/word-filter';
import { startChatServer, TestSocket } from './chat-server';
// not yet in the OpenAPI document: the moderation helpers' client does not check answers against it
import { api, signIn } from './moderation-helpers';

let srv: TestServer | null = null;
let dir: string;
const sockets: TestSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await srv?.stop(true);
  rmSync(dir, { recursive: true, force: true });
});

test('CHAT_FILTER=words: a listed word is refused to its sender only and never stored', async () => {
  dir = mkdtempSync(join(tmpdir(), 'wxlive-words-'));
  const words = join(dir, 'words.txt');
  writeFileSync(words, 'forbidden\n');
  srv = await startTestServer({ CHAT_WORDS_FILE: words });
  const wsUrl = srv.url.replace('http', 'ws');
  const { token, room } = await createRoom(srv.url);
  const viewer = await login(srv.url, 'viewer-b');
  const a = new TestSocket(wsUrl, room.id);
  const b = new TestSocket(wsUrl, room.id);
  sockets.push(a, b);
  await Promise.all([a.opened, b.opened]);
  a.send({ type: 'auth', token });
  b.send({ type: 'auth', token: viewer });
  await a.next('hello');
  await b.next('hello');
  a.send({ type: 'say', text: 'this is F-O-R-B-I-D-D-E-N', nonce: 'x' });
  expect(await a.next('notice')).toMatchObject({ code: 'content_rejected' });
  a.send({ type: 'say', text: 'fine words', nonce: 'y' });
  expect((await b.next('message')).text).toBe('fine words');
  expect(b.of('message').map((m) => m.text)).toEqual(['fine words']);
  expect(b.of('notice')).toEqual([]);
  const page = await call(srv.url, 'GET', `/api/rooms/${room.id}/messages`);
  expect(page.body.messages.map((m: { text: string }) => m.text)).toEqual(['fine words']);
});

test('nicknames go through the same filter (scene 1): PUT /api/me and POST /api/auth/guest answer 400 content_rejected', async () => {
  dir = mkdtempSync(join(tmpdir(), 'wxlive-words-'));
  const words = join(dir, 'words.txt');
  writeFileSync(words, 'forbidden\n');
  const seen: FilterInput[] = [];
  const list = await WordFilter.open(words);
  const filter: ContentFilter = { check: (input) => { seen.push(input); return list.check(input); }, close: async () => {} };
  const chatSrv = await startChatServer({ chat: { filter } });
  try {
    const token = (await signIn(chatSrv.url, 'nick-user')).token;
    const refused = await api(chatSrv.url, 'PUT', '/api/me', { token, body: { nickname: 'Forbidden One' } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('content_rejected');
    expect((await api(chatSrv.url, 'PUT', '/api/me', { token, body: { nickname: '小明' } })).status).toBe(200);
    const guest = await api(chatSrv.url, 'POST', '/api/auth/guest', { body: { nickname: 'for bidden' } });
    expect(guest.status).toBe(400);
    expect(guest.body.error.code).toBe('content_rejected');
    expect((await api(chatSrv.url, 'POST', '/api/auth/guest', { body: { nickname: 'a guest' } })).status).toBe(200);
    expect(seen.map((i) => [i.text, i.scene])).toEqual([['Forbidden One', 'nickname'], ['小明', 'nickname'], ['for bidden', 'nickname'], ['a guest', 'nickname']]);
  } finally {
    await chatSrv.close();
  }
});

test('CHAT_FILTER=wechat with AUTH_MODE=wechat: the sender\'s openid (from its session) goes to msg_sec_check; risky is refused', async () => {
  dir = mkdtempSync(join(tmpdir(), 'wxlive-wechat-'));
  const checks: { content: string; openid: string; scene: number }[] = [];
  const wechat = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://wechat.local');
      const body = parts.length ? JSON.parse(Buffer.concat(parts).toString('utf8')) : {};
      let reply: unknown = { errcode: 40013, errmsg: 'not here' };
      if (url.pathname === '/sns/jscode2session') reply = { openid: `openid-of-${url.searchParams.get('js_code')}`, session_key: 'k' };
      if (url.pathname === '/cgi-bin/stable_token') reply = { access_token: 'T', expires_in: 7200 };
      if (url.pathname === '/wxa/msg_sec_check') {
        checks.push(body);
        reply = { errcode: 0, result: { suggest: String(body.content).includes('risky') ? 'risky' : 'pass', label: 100 } };
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
    });
  });
  await new Promise<void>((r) => wechat.listen(0, '127.0.0.1', r));
  try {
    const base = `http://127.0.0.1:${(wechat.address() as AddressInfo).port}`;
    srv = await startTestServer({ AUTH_MODE: 'wechat', CHAT_FILTER: 'wechat', WECHAT_APPID: 'wx1', WECHAT_SECRET: 's', WECHAT_API_BASE: base });
    const wsUrl = srv.url.replace('http', 'ws');
    const signIn = await call(srv.url, 'POST', '/api/auth/login', { body: { code: 'host-code' } });
    expect(JSON.stringify(signIn.body.user)).not.toContain('openid'); // never in a response
    const token = signIn.body.token as string;
    const created = await call(srv.url, 'POST', '/api/rooms', { token, body: { title: 'checked' } });
    const viewer = (await call(srv.url, 'POST', '/api/auth/login', { body: { code: 'viewer-code' } })).body.token as string;
    const a = new TestSocket(wsUrl, created.body.room.id);
    const b = new TestSocket(wsUrl, created.body.room.id);
    sockets.push(a, b);
    await Promise.all([a.opened, b.opened]);
    a.send({ type: 'auth', token });
    b.send({ type: 'auth', token: viewer });
    await a.next('hello');
    await b.next('hello');
    a.send({ type: 'say', text: 'something risky', nonce: 'x' });
    expect(await a.next('notice')).toMatchObject({ code: 'content_rejected' });
    a.send({ type: 'say', text: 'hello all', nonce: 'y' });
    expect((await b.next('message')).text).toBe('hello all');
    expect(b.of('message')).toHaveLength(1);
    expect(checks).toEqual([
      { content: 'something risky', version: 2, scene: 2, openid: 'openid-of-host-code' },
      { content: 'hello all', version: 2, scene: 2, openid: 'openid-of-host-code' },
    ]);
  } finally {
    await new Promise<void>((r) => { wechat.closeAllConnections(); wechat.close(() => r()); });
  }
});

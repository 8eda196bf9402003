// The chat's content filter (issue 13, "Content safety"): the word list with reloads, and CHAT_FILTER=wechat
// against a local HTTP server that answers like WeChat's stable_token and msg_sec_check.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OffFilter } from '../../server/chat/content-filter/content-filter';
import { defaultWordsFile, openContentFilter } from '../../server/chat/content-filter/open-filter';
import { WechatFilter } from '../../server/chat/content-filter/wechat-filter';
import { WordFilter } from '../../server/chat/content-filter/word-filter';
import { MAX_LIST_BYTES, normalize, WordList } from '../../server/chat/content-filter/word-list';

// ---- a local WeChat ----

interface Seen { path: string; query: Record<string, string>; body: any }
type Reply = { json: unknown } | { hang: true };

interface FakeWechat {
  base: string;
  seen: Seen[];
  tokenCalls(): Seen[];
  checkCalls(): Seen[];
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<any> {
  const parts: Buffer[] = [];
  for await (const c of req) parts.push(c as Buffer);
  const text = Buffer.concat(parts).toString('utf8');
  try { return JSON.parse(text); } catch { return text; }
}

async function startFakeWechat(handlers: { token?: (body: any, n: number) => Reply; check: (body: any, token: string, n: number) => Reply }): Promise<FakeWechat> {
  const seen: Seen[] = [];
  let tokens = 0;
  let checks = 0;
  const server: Server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const url = new URL(req.url ?? '/', 'http://wechat.local');
      seen.push({ path: url.pathname, query: Object.fromEntries(url.searchParams), body });
      let reply: Reply;
      if (req.method === 'POST' && url.pathname.endsWith('/cgi-bin/stable_token')) {
        tokens++;
        reply = handlers.token ? handlers.token(body, tokens) : { json: { access_token: `TOKEN-${tokens}`, expires_in: 7200 } };
      } else if (req.method === 'POST' && url.pathname.endsWith('/wxa/msg_sec_check')) {
        checks++;
        reply = handlers.check(body, url.searchParams.get('access_token') ?? '', checks);
      } else {
        res.writeHead(404).end();
        return;
      }
      if ('hang' in reply) return;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}/gateway`,
    seen,
    tokenCalls: () => seen.filter((s) => s.path.endsWith('/stable_token')),
    checkCalls: () => seen.filter((s) => s.path.endsWith('/msg_sec_check')),
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

const pass = { json: { errcode: 0, errmsg: 'ok', result: { suggest: 'pass', label: 100 }, detail: [] } };
const risky = { json: { errcode: 0, errmsg: 'ok', result: { suggest: 'risky', label: 20002 }, detail: [{ strategy: 'content_model', errcode: 0, suggest: 'risky', label: 20002, prob: 90 }] } };
const review = { json: { errcode: 0, errmsg: 'ok', result: { suggest: 'review', label: 20012 } } };

const app = (base: string, extra: Partial<ConstructorParameters<typeof WechatFilter>[0]> = {}) =>
  new WechatFilter({ apiBase: base, appId: 'wx-app', secret: 'app-secret', timeoutMs: 1000, ...extra });

let wechat: FakeWechat | null = null;
afterEach(async () => {
  await wechat?.close();
  wechat = null;
});

describe('CHAT_FILTER=wechat (msgSecCheck v2)', () => {
  test('pass: asks stable_token, then msg_sec_check with the token in the URL and {content, version 2, scene 2, openid}', async () => {
    wechat = await startFakeWechat({ check: () => pass });
    const filter = app(wechat.base);
    expect(await filter.check({ text: '主播好', scene: 'message', openid: 'o-user-1' })).toEqual({ allowed: true });
    expect(wechat.tokenCalls()).toEqual([{ path: '/gateway/cgi-bin/stable_token', query: {}, body: { grant_type: 'client_credential', appid: 'wx-app', secret: 'app-secret' } }]);
    expect(wechat.checkCalls()).toEqual([{ path: '/gateway/wxa/msg_sec_check', query: { access_token: 'TOKEN-1' }, body: { content: '主播好', version: 2, scene: 2, openid: 'o-user-1' } }]);
  });

  test('nicknames are checked with scene 1', async () => {
    wechat = await startFakeWechat({ check: () => pass });
    await app(wechat.base).check({ text: '小明', scene: 'nickname', openid: 'o-user-1' });
    expect(wechat.checkCalls()[0]!.body).toEqual({ content: '小明', version: 2, scene: 1, openid: 'o-user-1' });
  });

  test('risky is refused, with the label', async () => {
    wechat = await startFakeWechat({ check: () => risky });
    expect(await app(wechat.base).check({ text: 'bad', scene: 'message', openid: 'o1' })).toEqual({ allowed: false, reason: 'risky', detail: '20002' });
  });

  test('review is refused too (no review queue for live chat)', async () => {
    wechat = await startFakeWechat({ check: () => review });
    expect(await app(wechat.base).check({ text: 'hmm', scene: 'message', openid: 'o1' })).toEqual({ allowed: false, reason: 'review', detail: '20012' });
  });

  test.each([40001, 42001])('errcode %i: one forced token refresh, then the check is asked again and passes', async (code) => {
    wechat = await startFakeWechat({ check: (_b, token) => (token === 'TOKEN-1' ? { json: { errcode: code, errmsg: 'invalid credential' } } : pass) });
    const errors: unknown[] = [];
    const filter = app(wechat.base, { onError: (e) => errors.push(e) });
    expect(await filter.check({ text: 'hi', scene: 'message', openid: 'o1' })).toEqual({ allowed: true });
    expect(wechat.tokenCalls().map((c) => c.body.force_refresh)).toEqual([undefined, true]);
    expect(wechat.checkCalls().map((c) => c.query.access_token)).toEqual(['TOKEN-1', 'TOKEN-2']);
    expect(errors).toEqual([]);
    // the new token is cached: the next check asks no token
    expect(await filter.check({ text: 'again', scene: 'message', openid: 'o1' })).toEqual({ allowed: true });
    expect(wechat.tokenCalls()).toHaveLength(2);
  });

  test('40001 twice: refused after one retry (not a loop)', async () => {
    wechat = await startFakeWechat({ check: () => ({ json: { errcode: 40001, errmsg: 'invalid credential' } }) });
    const errors: unknown[] = [];
    expect(await app(wechat.base, { onError: (e) => errors.push(e) }).check({ text: 'hi', scene: 'message', openid: 'o1' }))
      .toEqual({ allowed: false, reason: 'unavailable' });
    expect(wechat.checkCalls()).toHaveLength(2);
    expect(wechat.tokenCalls()).toHaveLength(2);
    expect(errors).toHaveLength(1);
  });

  test('one token call for many checks, concurrent and in a row', async () => {
    wechat = await startFakeWechat({ check: () => pass });
    const filter = app(wechat.base);
    const first = await Promise.all(Array.from({ length: 20 }, (_, i) => filter.check({ text: `m${i}`, scene: 'message', openid: 'o1' })));
    for (let i = 0; i < 10; i++) await filter.check({ text: `n${i}`, scene: 'message', openid: 'o1' });
    expect(first.every((v) => v.allowed)).toBe(true);
    expect(wechat.tokenCalls()).toHaveLength(1);
    expect(wechat.checkCalls()).toHaveLength(30);
  });

  test('the token is cached until shortly before expires_in, then fetched again', async () => {
    wechat = await startFakeWechat({ check: () => pass });
    let now = 1_000_000;
    const filter = app(wechat.base, { now: () => now });
    await filter.check({ text: 'a', scene: 'message', openid: 'o1' });
    now += 6000 * 1000; // 100 min of 120
    await filter.check({ text: 'b', scene: 'message', openid: 'o1' });
    expect(wechat.tokenCalls()).toHaveLength(1);
    now += 1000 * 1000; // 116 min 40 s: inside the last 5 minutes
    await filter.check({ text: 'c', scene: 'message', openid: 'o1' });
    expect(wechat.tokenCalls()).toHaveLength(2);
    expect(wechat.checkCalls().map((c) => c.query.access_token)).toEqual(['TOKEN-1', 'TOKEN-1', 'TOKEN-2']);
  });

  test('WeChat unreachable: refused, never passed unchecked', async () => {
    const port = await freePort();
    const errors: unknown[] = [];
    const filter = app(`http://127.0.0.1:${port}`, { onError: (e) => errors.push(e) });
    expect(await filter.check({ text: 'hi', scene: 'message', openid: 'o1' })).toEqual({ allowed: false, reason: 'unavailable' });
    expect(errors).toHaveLength(1);
  });

  test('msg_sec_check never answering: refused after the timeout', async () => {
    wechat = await startFakeWechat({ check: () => ({ hang: true }) });
    const started = Date.now();
    expect(await app(wechat.base, { timeoutMs: 300 }).check({ text: 'hi', scene: 'message', openid: 'o1' })).toEqual({ allowed: false, reason: 'unavailable' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test('stable_token refusing (bad secret): refused, and asked again at the next check', async () => {
    wechat = await startFakeWechat({ token: () => ({ json: { errcode: 40125, errmsg: 'invalid appsecret' } }), check: () => pass });
    const filter = app(wechat.base);
    expect(await filter.check({ text: 'hi', scene: 'message', openid: 'o1' })).toEqual({ allowed: false, reason: 'unavailable' });
    expect(await filter.check({ text: 'hi', scene: 'message', openid: 'o1' })).toEqual({ allowed: false, reason: 'unavailable' });
    expect(wechat.tokenCalls()).toHaveLength(2);
    expect(wechat.checkCalls()).toHaveLength(0);
  });

  test.each([
    ['another errcode (40003 bad openid)', { json: { errcode: 40003, errmsg: 'invalid openid' } }],
    ['no result', { json: { errcode: 0, errmsg: 'ok' } }],
    ['an unknown suggest', { json: { errcode: 0, result: { suggest: 'maybe' } } }],
  ])('%s: refused', async (_name, reply) => {
    wechat = await startFakeWechat({ check: () => reply });
    expect(await app(wechat.base).check({ text: 'hi', scene: 'message', openid: 'o1' })).toEqual({ allowed: false, reason: 'unavailable' });
  });

  test('no openid (a dev or guest user): refused without asking WeChat', async () => {
    wechat = await startFakeWechat({ check: () => pass });
    expect(await app(wechat.base).check({ text: 'hi', scene: 'message' })).toEqual({ allowed: false, reason: 'no_openid' });
    expect(wechat.seen).toEqual([]);
  });
});

describe('CHAT_FILTER=words', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'wxlive-words-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('a listed word anywhere in the text is refused, ignoring case, width, spaces and punctuation', async () => {
    const file = join(dir, 'words.txt');
    writeFileSync(file, '# comment\n\nspam\n坏词\n');
    const filter = await WordFilter.open(file);
    expect(filter.size).toBe(2);
    expect(await filter.check({ text: 'hello there', scene: 'message' })).toEqual({ allowed: true });
    for (const text of ['buy SPAM now', 'Ｓ Ｐ-Ａ-Ｍ', 's.p.a.m', '这是坏 词吗']) {
      expect(await filter.check({ text, scene: 'message' })).toMatchObject({ allowed: false, reason: 'word' });
    }
    expect(await filter.check({ text: '# comment', scene: 'nickname' })).toEqual({ allowed: true });
  });

  test('an edited list holds at the next check after checkEveryMs, without a restart', async () => {
    const file = join(dir, 'words.txt');
    writeFileSync(file, 'alpha\n');
    let now = 0;
    const filter = await WordFilter.open(file, { checkEveryMs: 1000, now: () => now });
    expect(await filter.check({ text: 'beta', scene: 'message' })).toEqual({ allowed: true });
    writeFileSync(file, 'alpha\nbeta-gamma\n');
    now = 500;
    expect(await filter.check({ text: 'beta gamma', scene: 'message' })).toEqual({ allowed: true }); // not looked at yet
    now = 1000;
    expect(await filter.check({ text: 'beta gamma', scene: 'message' })).toEqual({ allowed: false, reason: 'word', detail: 'betagamma' });
    writeFileSync(file, 'delta\n');
    now = 2100;
    expect(await filter.check({ text: 'alpha', scene: 'message' })).toEqual({ allowed: true });
  });

  test('a broken or missing list keeps the last one in force, and is told once', async () => {
    const file = join(dir, 'words.txt');
    writeFileSync(file, 'alpha\n');
    let now = 0;
    const errors: unknown[] = [];
    const filter = await WordFilter.open(file, { checkEveryMs: 10, now: () => now, onError: (e) => errors.push(e) });
    writeFileSync(file, Buffer.alloc(MAX_LIST_BYTES + 1, 'a'));
    for (now = 10; now < 50; now += 10) expect(await filter.check({ text: 'alpha', scene: 'message' })).toMatchObject({ allowed: false });
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toMatch(/over the/);
    rmSync(file);
    for (; now < 100; now += 10) expect(await filter.check({ text: 'alpha', scene: 'message' })).toMatchObject({ allowed: false });
    expect(errors).toHaveLength(2);
  });

  test('a list that cannot be read at startup is a startup error', async () => {
    await expect(WordFilter.open(join(dir, 'nope.txt'))).rejects.toThrow(/ENOENT/);
    const big = join(dir, 'big.txt');
    writeFileSync(big, Buffer.alloc(MAX_LIST_BYTES + 1, 'a'));
    await expect(WordFilter.open(big)).rejects.toThrow(/over the/);
  });

  test('the list is bounded: over-long lines are ignored', () => {
    const list = WordList.parse(['ok', 'x'.repeat(65)].join('\n'));
    expect(list.size).toBe(1);
    expect(list.find('x'.repeat(100))).toBeNull();
    expect(normalize('ＡＢＣ ｄ,e')).toBe('abcde');
  });

  test('the shipped default list loads and catches a listed word', async () => {
    const filter = await openContentFilter({ mode: 'words' });
    expect(filter).toBeInstanceOf(WordFilter);
    expect((filter as WordFilter).file).toBe(defaultWordsFile());
    expect((filter as WordFilter).size).toBeGreaterThan(10);
    expect(await filter.check({ text: '你是 傻-逼', scene: 'message' })).toMatchObject({ allowed: false, reason: 'word' });
    expect(await filter.check({ text: '主播唱得真好听', scene: 'message' })).toEqual({ allowed: true });
  });
});

describe('CHAT_FILTER=off and the factory', () => {
  test('off passes everything', async () => {
    const filter = await openContentFilter({ mode: 'off' });
    expect(filter).toBeInstanceOf(OffFilter);
    expect(await filter.check({ text: 'fuck', scene: 'message' })).toEqual({ allowed: true });
  });

  test('wechat without the app settings is a startup error', async () => {
    await expect(openContentFilter({ mode: 'wechat' })).rejects.toThrow(/WECHAT_APPID/);
    expect(await openContentFilter({ mode: 'wechat', wechat: { apiBase: 'http://127.0.0.1:9', appId: 'a', secret: 's' } })).toBeInstanceOf(WechatFilter);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

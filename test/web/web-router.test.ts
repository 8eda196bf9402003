// The web router over real HTTP: pages, hashed assets and their cache headers, compression, crossdomain.xml.
import { readFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { join } from 'node:path';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { PageAssets } from '../../server/web/page-assets';
import { socketSources } from '../../server/web/web-router';
import { startTestServer, type TestServer } from '../helpers/test-server';

let s: TestServer;
beforeAll(async () => { s = await startTestServer(); });
afterAll(async () => { await s.stop(true); });

const manifest = () => JSON.parse(readFileSync(join(__dirname, '..', '..', 'dist', 'web', 'manifest.json'), 'utf8')) as {
  pages: Record<string, string>; assets: string[];
};
const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(s.url + path, { headers: { 'accept-encoding': 'identity', ...headers } });

/** the asset URLs a page names, in order */
async function assetsOf(path: string): Promise<string[]> {
  const html = await (await get(path)).text();
  return [...html.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
}

test('the admin console and a watch page are HTML that is always revalidated', async () => {
  for (const path of ['/admin', '/watch/AbCdEf123456']) {
    const res = await get(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).toMatch(/<script type="module" src="\/assets\/(watch|admin)-[A-Z0-9]+\.js"><\/script>/);
    // no CDN: every script and stylesheet comes from this server
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^"/);
    // (fetch marks conditional requests no-cache, which rightly defeats the 304: use plain http)
    expect((await rawGet(path, { 'if-none-match': etag })).status).toBe(304);
  }
  expect((await get('/admin')).headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
});

test('the chat socket is allowed by the pages\' CSPs: any ws(s) on the watch page, only this host on the admin console', async () => {
  const directive = (csp: string | null) => /connect-src ([^;]+)/.exec(csp ?? '')?.[1]?.split(' ');
  expect(directive((await get('/watch/AbCdEf123456')).headers.get('content-security-policy'))).toEqual(['*', 'ws:', 'wss:']);
  const host = new URL(s.url).host;
  expect(directive((await get('/admin')).headers.get('content-security-policy'))).toEqual(["'self'", `ws://${host}`, `wss://${host}`]);
  // a Host header that is not a host name names no socket source (it could not smuggle in a directive)
  const odd = await rawHead('/admin', { host: 'evil; script-src *' });
  expect(directive(odd)).toEqual(["'self'"]);
  expect(socketSources('[::1]:8080')).toBe(' ws://[::1]:8080 wss://[::1]:8080');
  expect(socketSources('live.example.com')).toBe(' ws://live.example.com wss://live.example.com');
});

test('hashed assets are cacheable for a year, typed, and precompressed', async () => {
  const urls = await assetsOf('/watch/AbCdEf123456');
  expect(urls.length).toBeGreaterThanOrEqual(2);
  for (const url of urls) {
    const res = await get(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('content-type')).toMatch(url.endsWith('.css') ? /^text\/css/ : /^text\/javascript/);
    const plain = Buffer.from(await res.arrayBuffer());
    expect(plain.equals(readFileSync(join(__dirname, '..', '..', 'dist', 'web', url)))).toBe(true);
    if (plain.length < 512) continue; // too small to be worth compressing
    const gz = await get(url, { 'accept-encoding': 'gzip' });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gz.headers.get('vary')).toMatch(/accept-encoding/i);
  }
  const js = urls.find((u) => u.endsWith('.js'))!;
  const raw = await rawGet(js, { 'accept-encoding': 'br' });
  expect(raw.encoding).toBe('br');
  expect(brotliDecompressSync(raw.body).equals(readFileSync(join(__dirname, '..', '..', 'dist', 'web', js)))).toBe(true);
  const rawGz = await rawGet(js, { 'accept-encoding': 'gzip' });
  expect(gunzipSync(rawGz.body).equals(readFileSync(join(__dirname, '..', '..', 'dist', 'web', js)))).toBe(true);
});

test('the player libraries are bundled as lazily loaded chunks, not fetched from anywhere else', async () => {
  const listed = manifest().assets.filter((f) => f.endsWith('.js'));
  const sources = listed.map((f) => readFileSync(join(__dirname, '..', '..', 'dist', 'web', 'assets', f), 'utf8'));
  expect(sources.some((src) => src.includes('hls.js'))).toBe(true); // hls.js names itself in its error messages
  expect(sources.some((src) => /mpegts/i.test(src))).toBe(true);
  // the page shell stays small: the players are not in the entry script
  const entry = (await assetsOf('/watch/AbCdEf123456')).find((u) => /\/watch-[^/]+\.js$/.test(u))!;
  expect(readFileSync(join(__dirname, '..', '..', 'dist', 'web', entry)).length).toBeLessThan(40 * 1024);
});

test('unknown assets, traversal attempts and impossible room ids are JSON 404s', async () => {
  for (const path of ['/assets/nope-123.js', '/assets/..%2Fmanifest.json', '/assets/%2e%2e%2f%2e%2e%2fpackage.json', '/watch/not-a-room!']) {
    const res = await get(path);
    expect(res.status).toBe(404);
    const body = await res.json() as { error: { code: string } };
    expect(body.error.code).toMatch(/not_found/);
  }
});

test('/crossdomain.xml allows cross-domain players', async () => {
  const res = await get('/crossdomain.xml');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/x-cross-domain-policy/);
  const xml = await res.text();
  expect(xml).toContain('<cross-domain-policy>');
  expect(xml).toContain('<allow-access-from domain="*"/>');
});

/** the CSP answered for exactly these headers (node's fetch will not send a made-up Host) */
function rawHead(path: string, headers: Record<string, string>): Promise<string | null> {
  return new Promise((resolve, reject) => {
    httpGet(s.url + path, { headers }, (res) => {
      res.resume();
      resolve((res.headers['content-security-policy'] as string | undefined) ?? null);
    }).on('error', reject);
  });
}

/** node's fetch decodes bodies and adds cache headers of its own; this sends exactly the given headers */
function rawGet(path: string, headers: Record<string, string>): Promise<{ status: number; encoding: string | undefined; body: Buffer }> {
  return new Promise((resolve, reject) => {
    httpGet(s.url + path, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

test('a server whose pages were never built answers 503 web_not_built instead of crashing', () => {
  const missing = new PageAssets(join(__dirname, 'no-such-build'));
  expect(() => missing.page('watch')).toThrow(expect.objectContaining({ kind: 'unavailable', code: 'web_not_built' }));
});

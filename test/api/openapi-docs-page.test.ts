// /api/docs in Chromium: Scalar's reference of /api/openapi.json renders from this server alone, under its CSP.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DESKTOP, launchBrowser, PHONE, type TestBrowser } from '../helpers/browser';
import { call } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { screenshot } from '../web/fixtures';

let s: TestServer;
let browser: TestBrowser;
beforeAll(async () => {
  // a bare `npx jest` after a checkout that predates the docs build: build the page (0.2 s) rather than skip it
  const root = join(__dirname, '..', '..');
  if (!existsSync(join(root, 'dist', 'docs', 'manifest.json'))) execFileSync(process.execPath, [join(root, 'scripts', 'build-docs.js')]);
  [s, browser] = await Promise.all([startTestServer(), launchBrowser({ locale: 'en-US' })]);
}, 60000);
afterAll(async () => {
  await browser?.close();
  await s?.stop(true);
});

test.each([['desktop', DESKTOP], ['phone', PHONE]])('the reference renders on %s with no outside request and no CSP violation', async (_name, size) => {
  const { page, errors } = await browser.newPage(size);
  const outside: string[] = [];
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(s.url) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    outside.push(url);
    return route.abort();
  });
  const violations: string[] = [];
  page.on('console', (m) => { if (/Content.Security.Policy/i.test(m.text())) violations.push(m.text()); });
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  const res = await page.goto(`${s.url}/api/docs`);
  expect(res!.status()).toBe(200);
  expect(res!.headers()['content-security-policy']).toMatch(/script-src 'self';/);
  // the document's title, a tag's operation and a schema name come from /api/openapi.json
  await page.getByText('wxlive HTTP API').first().waitFor({ timeout: 20000 });
  await page.getByText('Rooms, push and play URLs').first().waitFor({ timeout: 20000 });
  const text = await page.evaluate(() => document.body.innerText);
  expect(text).toMatch(/\/api\/rooms\/\{id\}\/play/);
  expect(text).toMatch(/OpenAPI 3\.1/);
  if (size === DESKTOP) {
    // a collapsed tag opens from the sidebar and shows its operations, rendered from the zod-made schemas
    await page.locator('nav, aside').getByText('rooms', { exact: true }).first().click();
    await page.getByText('Create a room').first().waitFor({ timeout: 20000 });
  }
  // Scalar's styles applied (its <style> element took the nonce): the mount point is laid out, not raw text
  expect(await page.evaluate(() => document.querySelectorAll('style#scalar-style').length)).toBe(1);
  // the theme's and the toasts' sheets too (style-nonce.js): every style element carries the nonce, the theme's colours apply
  expect(await page.evaluate(() => [...document.querySelectorAll('style')].filter((e) => !e.nonce).length)).toBe(0);
  expect(await page.evaluate(() => document.querySelectorAll('style').length)).toBeGreaterThanOrEqual(3);
  expect(await page.evaluate(() => getComputedStyle(document.querySelector('.scalar-app') ?? document.body).getPropertyValue('--scalar-background-1').trim())).not.toBe('');
  expect(await page.evaluate(() => getComputedStyle(document.body).margin)).toBe('0px');
  // written to test/artifacts; a drawn page has many colours and a fair share of foreground
  const shot = await screenshot(page, `api-docs-${_name}`);
  expect(shot.colours).toBeGreaterThan(20);
  expect(shot.foreground).toBeGreaterThan(0.02);
  expect({ outside, violations, errors }).toEqual({ outside: [], violations: [], errors: [] });
  await page.close();
}, 60000);

test('the scripts are hashed, immutable and gzipped; the page is never cached (one nonce per load)', async () => {
  const page = await fetch(`${s.url}/api/docs`);
  const html = await page.text();
  expect(page.headers.get('cache-control')).toBe('no-store');
  const nonce = /property="csp-nonce" content="([^"]+)"/.exec(html)![1]!;
  expect(page.headers.get('content-security-policy')).toContain(`'nonce-${nonce}'`);
  expect(page.headers.get('content-security-policy')).toMatch(/style-src 'self' 'nonce-[^']+';/); // style elements: nonce only
  const scripts = [...html.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]!);
  expect(scripts).toHaveLength(3);
  for (const src of scripts) {
    expect(src).toMatch(/^\/api\/docs\/[a-z-]+-[0-9a-f]{12}\.js$/);
    const r = await fetch(s.url + src, { headers: { 'accept-encoding': 'gzip' } });
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(r.headers.get('content-type')).toMatch(/^text\/javascript/);
  }
  expect((await call(s.url, 'GET', '/api/docs/other.js')).status).toBe(404);
});

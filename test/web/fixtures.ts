// Shared steps of the page tests: rooms through the real API, screenshots written to test/artifacts and measured.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { CreateRoomResponse, Room } from '../../typings/api';
import { call, login } from '../helpers/http';
import type { TestServer } from '../helpers/test-server';
import { decodePng, measureRendering, solidPng, type Rendering } from './png';

export const ARTIFACTS = join(__dirname, '..', 'artifacts');

export async function createRoom(s: TestServer, title: string, cover?: string): Promise<CreateRoomResponse> {
  const token = await login(s.url, 'web-host');
  const r = await call<CreateRoomResponse>(s.url, 'POST', '/api/rooms', { token, body: cover ? { title, cover } : { title } });
  if (r.status !== 201) throw new Error(`create room: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

export async function endRoom(s: TestServer, id: string): Promise<Room> {
  const r = await call<{ room: Room }>(s.url, 'POST', `/api/admin/rooms/${id}/end`, { token: s.config.secrets.adminToken });
  if (r.status !== 200) throw new Error(`end room: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.room;
}

export async function roomStatus(s: TestServer, id: string): Promise<string> {
  return (await call<{ room: Room }>(s.url, 'GET', `/api/rooms/${id}`)).body.room.status;
}

/** Saves a screenshot under test/artifacts/<name>.png and measures what it shows. */
export async function screenshot(page: Page, name: string): Promise<Rendering & { width: number; height: number }> {
  const png = await page.screenshot({ fullPage: false });
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, `${name}.png`), png);
  const decoded = decodePng(png);
  return { ...measureRendering(decoded), width: decoded.width, height: decoded.height };
}

/** Text of the element, or null when it is missing or hidden. */
export async function visibleText(page: Page, selector: string): Promise<string | null> {
  const node = page.locator(selector);
  if ((await node.count()) === 0 || !(await node.first().isVisible())) return null;
  return (await node.first().textContent())?.trim() ?? '';
}

/** A local image host for room covers (covers are URLs on other servers). */
/** Covers must be https:// URLs: the page's browser answers this one itself (no TLS server needed). */
export const COVER_URL = 'https://covers.wxlive.test/cover.png';

export async function serveCover(page: Page): Promise<void> {
  const image = solidPng(64, 36, [200, 60, 140]);
  await page.route(COVER_URL, (route) => route.fulfill({ status: 200, contentType: 'image/png', body: image }));
}

/**
 * Evaluates a JavaScript expression in the page. (Strings, because test code is type-checked without the DOM lib;
 * evaluated through DevTools, so the pages' CSP, which forbids eval, stays on.)
 */
export function inPage<T = unknown>(page: Page, expression: string): Promise<T> {
  return page.evaluate(expression) as Promise<T>;
}

/** Polls an expression until it is truthy. (Playwright's waitForFunction evals strings, which the pages' CSP refuses.) */
export async function waitInPage(page: Page, expression: string, timeoutMs = 10000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await inPage<boolean>(page, expression))) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${expression}`);
    await page.waitForTimeout(100);
  }
}

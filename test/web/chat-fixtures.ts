// Steps of the chat page tests: a watch page with its sockets and sent frames recorded, saying things, reading the list.
import type { Page, WebSocket as PageSocket } from 'playwright-core';
import { PHONE, type TestBrowser, type TestPage, type Viewport } from '../helpers/browser';
import { inPage, visibleText, waitInPage } from './fixtures';

export interface Watcher extends TestPage {
  requested: string[];
  sockets: PageSocket[];
  /** every frame the page sent on any socket, in order */
  sent: string[];
}

export async function openWatch(browser: TestBrowser, base: string, roomId: string, viewport: Viewport = PHONE): Promise<Watcher> {
  const tp = await browser.newPage(viewport);
  const w: Watcher = { ...tp, requested: [], sockets: [], sent: [] };
  tp.page.on('request', (r) => w.requested.push(r.url()));
  tp.page.on('websocket', (ws) => {
    w.sockets.push(ws);
    ws.on('framesent', (f) => w.sent.push(String(f.payload)));
  });
  await tp.page.goto(`${base}/watch/${roomId}`);
  await tp.page.waitForSelector('#chat[data-chat="open"]');
  return w;
}

export const messages = (page: Page) => inPage<string[][]>(page, `[...document.querySelectorAll('#chat-list li')]
  .map((li) => [li.querySelector('.chat-nick').textContent, li.querySelector('.chat-text').textContent])`);

export async function say(page: Page, text: string): Promise<void> {
  await page.fill('#say', text);
  await page.click('#send');
}

/** A visitor without a session types, is asked for a nickname, picks it, and the text goes out once signed in. */
export async function sayAsNewGuest(page: Page, nickname: string, text: string): Promise<void> {
  await say(page, text);
  await page.waitForSelector('#nickname-form:not([hidden])');
  expect(await page.isVisible('#say-form')).toBe(false);
  await page.fill('#nickname', nickname);
  await page.click('#nickname-form button[type="submit"]');
  await waitInPage(page, `[...document.querySelectorAll('#chat-list .chat-text')].some((n) => n.textContent === ${JSON.stringify(text)})`);
  expect(await visibleText(page, '#chat-you')).toBe(`You are ${nickname}`);
}

export const hasText = (text: string) => `[...document.querySelectorAll('#chat-list .chat-text')].some((n) => n.textContent === ${JSON.stringify(text)})`;

export const foreign = (urls: string[], base: string) => urls.filter((u) => !u.startsWith(`${base}/`) && !/^(data|blob):/.test(u)
  && !u.startsWith(base.replace(/^http/, 'ws') + '/'));

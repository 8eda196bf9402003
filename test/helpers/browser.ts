// Launches Debian's Chromium through playwright-core for page tests: headless, a fresh profile, no outside traffic.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const PHONE = { width: 390, height: 844 } as const;
export const DESKTOP = { width: 1280, height: 800 } as const;
export type Viewport = { width: number; height: number };

const ARGS = [
  '--no-sandbox', // containers run as root, where Chromium's sandbox cannot start
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // headless Chromium does not enforce the autoplay rule anyway (checked: unmuted autoplay starts even under
  // document-user-activation-required), so the tests assert that the page itself starts muted instead
  '--autoplay-policy=no-user-gesture-required',
];

export interface TestBrowser {
  /** A new tab at the given size; its uncaught page errors are collected in `errors`. */
  newPage(viewport?: Viewport): Promise<TestPage>;
  close(): Promise<void>;
}

export interface TestPage {
  page: Page;
  errors: string[];
}

/** `locale`: navigator.language, Accept-Language and Intl of every page (the pages pick their language by it). */
export async function launchBrowser(opts: { locale?: string } = {}): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'wxlive-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ARGS,
    viewport: DESKTOP,
    locale: opts.locale,
    timeout: 30000,
  });
  // a persistent context opens one blank tab; tests use their own
  for (const p of context.pages()) await p.close();
  return {
    async newPage(viewport = DESKTOP) {
      const page = await context.newPage();
      await page.setViewportSize(viewport);
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      return { page, errors };
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

// Loads mini-program pages into miniprogram-simulate (official wcc compiler) and wires a scripted wx.
// Typed locally on purpose: miniprogram-simulate's own typings import miniprogram-api-typings, whose
// globals (require, module, setTimeout…) would leak into the root type-check of server and tests.
import { join, resolve } from 'node:path';
import { resetLocale } from '../../../miniprogram/lib/i18n';
import type { WxPort } from '../../../miniprogram/services/wx-port';
import type { FakeWx } from './fake-wx';

export const MINIPROGRAM_ROOT = resolve(__dirname, '../../../miniprogram');

/** The DOM slice the tests read (the root tsconfig has no DOM lib). */
export interface SimNode {
  textContent: string | null;
  querySelector(selector: string): SimNode | null;
  querySelectorAll(selector: string): ArrayLike<SimNode>;
  getAttribute(name: string): string | null;
}

export interface SimComponent<D = Record<string, any>> {
  dom: SimNode;
  data: D;
  instance: Record<string, any> & { data: D; setData(patch: Partial<D>): void };
  querySelector(selector: string): SimComponent | undefined;
  querySelectorAll(selector: string): SimComponent[];
  dispatchEvent(eventName: string, options?: { detail?: unknown }): void;
  attach(parent: unknown): void;
  detach(): void;
  triggerLifeTime(name: string): void;
}

interface Simulate {
  load(path: string, options?: { compiler?: 'official' | 'simulate'; rootPath?: string }): string;
  load(definition: Record<string, unknown>): string;
  render(id: string, properties?: Record<string, unknown>): SimComponent;
  sleep(ms: number): Promise<void>;
}

export const simulate: Simulate = require('miniprogram-simulate');

/** The simulator's global wx (a mock of every API); tests replace the functions they observe. */
export function simWx(): Record<string, any> {
  return (globalThis as unknown as { wx: Record<string, any> }).wx;
}

/**
 * The language WeChat reports (wx.getAppBaseInfo().language: "zh_CN", "en"…) for the pages rendered next.
 * The simulator's own mock says zh_CN; tests about behaviour rather than wording run in "en".
 */
export function useLanguage(language: string): void {
  const base = simWx().getAppBaseInfo?.() ?? {};
  simWx().getAppBaseInfo = () => ({ ...base, language });
  resetLocale();
}

/** Routes wx.request / login / storage to a port: a FakeWx, or nodeWx() for real HTTP to a running server. */
export function useWxPort(port: WxPort): void {
  const wx = simWx();
  wx.request = port.request.bind(port);
  wx.login = port.login.bind(port);
  wx.getStorageSync = port.getStorageSync.bind(port);
  wx.setStorageSync = port.setStorageSync.bind(port);
  wx.removeStorageSync = port.removeStorageSync.bind(port);
}

export const useFakeWx = (fake: FakeWx): void => {
  useWxPort(fake);
  simWx().connectSocket = fake.connectSocket.bind(fake);
};

/**
 * Registers a stand-in for a built-in tag (live-pusher, live-player) with the given properties, so the
 * page's bindings are observable and the test can dispatch its events.
 */
export function stubBuiltin(tag: string, properties: Record<string, unknown>): void {
  simulate.load({ id: tag, tagName: `wx-${tag}`, template: '<slot/>', properties });
}

/** Loads one page (pages are Components) with the official compiler and attaches it to the document. */
const loaded = new Map<string, string>();

export function renderPage<D = Record<string, any>>(page: string): SimComponent<D> {
  // a component path can be loaded once per test file; every test renders a fresh instance of it
  let id = loaded.get(page);
  if (!id) {
    id = simulate.load(join(MINIPROGRAM_ROOT, 'pages', page, 'index'), { compiler: 'official', rootPath: MINIPROGRAM_ROOT });
    loaded.set(page, id);
  }
  const comp = simulate.render(id) as SimComponent<D>;
  const doc = (globalThis as unknown as { document: { createElement(t: string): unknown } }).document;
  comp.attach(doc.createElement('parent-wrapper'));
  return comp;
}

/**
 * Dispatches an event and returns once the page's handler has run: the simulator dispatches on a microtask,
 * queued before the one this awaits. Works under jest fake timers (no timer involved).
 */
export async function fire(comp: SimComponent, eventName: string, detail?: unknown): Promise<void> {
  comp.dispatchEvent(eventName, { detail });
  await Promise.resolve();
}

/** `until` under jest fake timers: advances the fake clock 1 ms at a time (running timers and promises), bounded. */
export async function untilFake(check: () => boolean, what: string, maxMs = 100): Promise<void> {
  for (let ms = 0; !check(); ms++) {
    if (ms >= maxMs) throw new Error(`timed out waiting for ${what} (${maxMs} fake ms)`);
    await jest.advanceTimersByTimeAsync(1);
  }
}

/** Waits until `check` passes (wx.request answers asynchronously), bounded. */
export async function until(check: () => boolean, what: string, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await simulate.sleep(5);
  }
}

export const text = (n: SimNode | null | undefined): string => (n?.textContent ?? '').replace(/\s+/g, ' ').trim();

/** The simulator prefixes page classes with the tag name ("room" → "main--room"). */
export const cls = (selector: string): string => selector.replace(/\.([A-Za-z_][\w-]*)/g, '.main--$1');

/** DOM lookups with page class names. */
export const $ = (root: { dom: SimNode } | SimNode, selector: string): SimNode | null =>
  ('dom' in root ? root.dom : root).querySelector(cls(selector));
export const $$ = (root: { dom: SimNode } | SimNode, selector: string): SimNode[] =>
  Array.from(('dom' in root ? root.dom : root).querySelectorAll(cls(selector)));

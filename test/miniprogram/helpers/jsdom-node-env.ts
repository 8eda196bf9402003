// A jsdom test environment that also has Node's globals, so a page in miniprogram-simulate and the real
// wxlive server (Node timers with unref, fetch, web streams…) run in one test file.
import JSDOMEnvironment from 'jest-environment-jsdom';

/** jsdom has its own versions of these, but the server needs Node's (timers return objects with unref). */
const NODE_OVER_JSDOM = [
  'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask',
  'fetch', 'Headers', 'Request', 'Response', 'FormData', 'AbortController', 'AbortSignal', 'Blob',
  'TextEncoder', 'TextDecoder', 'URL', 'URLSearchParams',
];

export default class JsdomNodeEnvironment extends JSDOMEnvironment {
  constructor(...args: ConstructorParameters<typeof JSDOMEnvironment>) {
    super(...args);
    const g = this.global as unknown as Record<string, unknown>;
    const node = globalThis as unknown as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(globalThis)) {
      if (!(name in g)) g[name] = node[name];
    }
    for (const name of NODE_OVER_JSDOM) g[name] = node[name];
  }

  /** Node's builds of packages, not their browser ones: the server's `ws` has no server in its browser build. */
  override exportConditions(): string[] {
    return ['node', 'node-addons'];
  }
}

// The document lists exactly the routes the server mounts: the Koa routers of the app startServer builds
// (createApp with the chat, media-plane and web routers of server.ts), on the embedded plane and the Tencent one.
import type Koa from 'koa';
import type Router from '@koa/router';
import { buildOpenApiDocument } from '../../server/api/openapi/document';
import { startTestServer } from '../helpers/test-server';

const built: Koa[] = [];
jest.mock('../../server/api/app', () => {
  const real = jest.requireActual('../../server/api/app');
  return { ...real, createApp: (...args: unknown[]) => { const app = real.createApp(...args); built.push(app); return app; } };
});

/** the Tencent plane's settings (test/scale/tencent-plane.test.ts); its API is never reached here */
const TENCENT_ENV = {
  MEDIA_PROVIDER: 'tencent', TENCENT_PUSH_DOMAIN: 'push.live.example.com', TENCENT_PLAY_DOMAIN: 'play.live.example.com',
  TENCENT_PUSH_KEY: 'push-key-0123456789', TENCENT_PLAY_KEY: 'play-key-0123456789', TENCENT_CALLBACK_KEY: 'callback-key-0123456789',
  TENCENT_SECRET_ID: 'AKIDplaceholder', TENCENT_SECRET_KEY: 'placeholder-secret-key', TENCENT_API_ENDPOINT: '127.0.0.1:9',
};

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** "GET /api/rooms/{id}" for every route of every router mounted on the app (HEAD rides on GET; `use` layers have no method) */
export function mountedRoutes(app: Koa): string[] {
  const routes = new Set<string>();
  for (const mw of app.middleware as Array<{ router?: Router }>) {
    for (const layer of mw.router?.stack ?? []) {
      const path = String(layer.path).replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/(.)\/$/, '$1');
      for (const m of layer.methods) if (METHODS.includes(m)) routes.add(`${m} ${path}`);
    }
  }
  return [...routes].sort();
}

function documentedRoutes(): string[] {
  const paths = buildOpenApiDocument().paths as Record<string, Record<string, unknown>>;
  return Object.entries(paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)).sort();
}

async function routesOf(env: Record<string, string>): Promise<string[]> {
  const s = await startTestServer(env);
  try {
    return mountedRoutes(built[built.length - 1]!);
  } finally {
    await s.stop(true);
  }
}

test('every mounted route is documented, and every documented route is mounted (embedded + Tencent planes)', async () => {
  const mounted = new Set([...await routesOf({}), ...await routesOf(TENCENT_ENV)]);
  const documented = new Set(documentedRoutes());
  const undocumented = [...mounted].filter((r) => !documented.has(r));
  const unmounted = [...documented].filter((r) => !mounted.has(r));
  // a failure here: add the route to server/api/openapi/operations.ts (or drop the entry of a route that went)
  expect({ undocumented, unmounted }).toEqual({ undocumented: [], unmounted: [] });
  expect(mounted.size).toBeGreaterThan(20);
}, 60_000);

test('the walk sees what the routers have: a route added to a mounted router shows up', async () => {
  const s = await startTestServer();
  try {
    const app = built[built.length - 1]!;
    const before = mountedRoutes(app);
    const router = (app.middleware as Array<{ router?: Router }>).find((m) => m.router)!.router!;
    router.get('/api/not-documented/:x', () => undefined);
    expect(mountedRoutes(app)).toEqual([...before, 'GET /api/not-documented/{x}'].sort());
    expect(documentedRoutes()).not.toContain('GET /api/not-documented/{x}');
  } finally {
    await s.stop(true);
  }
});

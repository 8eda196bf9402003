// GET /api/openapi.json (the document) and /api/docs (Scalar's reference of it, from dist/docs: no CDN).
import Router from '@koa/router';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from 'koa';
import type { AppState } from '../deps';

/** Hashed script names never change content. */
const SCRIPT_CACHE = 'public, max-age=31536000, immutable';

/**
 * Scripts from this server only, as on the other pages. Scalar's <style> elements carry the page's nonce (its own
 * sheet reads <meta property="csp-nonce">, page/style-nonce.js stamps the others), so style elements need no
 * 'unsafe-inline'; its components set style attributes, which can carry no script (style-src-attr).
 */
const docsCsp = (nonce: string) => "default-src 'self'; script-src 'self'; "
  + `style-src 'self' 'nonce-${nonce}'; style-src-attr 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; `
  + "worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

interface DocsManifest { scalar: string; init: string; styleNonce: string; page: string }

/** dist/docs next to the compiled server (dist/server/api/openapi) or the sources (server/api/openapi). */
export function defaultDocsDir(): string {
  const candidates = [join(__dirname, '..', '..', '..', 'docs'), join(__dirname, '..', '..', '..', 'dist', 'docs')];
  return candidates.find((d) => existsSync(join(d, 'manifest.json'))) ?? candidates[1]!;
}

class DocsFiles {
  private loaded: { manifest: DocsManifest; page: string } | null = null;
  /** read once: ~1.4 MB gzipped, and the names are immutable */
  private readonly scripts = new Map<string, { plain: Buffer; gzip: Buffer }>();
  constructor(private readonly dir: string) {}

  /** null until `npm run build` has written dist/docs (the route then falls through to the JSON 404) */
  get(): { manifest: DocsManifest; page: string } | null {
    if (this.loaded) return this.loaded;
    const file = join(this.dir, 'manifest.json');
    if (!existsSync(file)) return null;
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as DocsManifest;
    const page = readFileSync(join(this.dir, manifest.page), 'utf8')
      .replace('__SCALAR__', manifest.scalar).replace('__INIT__', manifest.init).replace('__NONCE_JS__', manifest.styleNonce);
    this.loaded = { manifest, page };
    return this.loaded;
  }

  script(name: string): { plain: Buffer; gzip: Buffer } | null {
    const files = this.get();
    if (!files || ![files.manifest.scalar, files.manifest.init, files.manifest.styleNonce].includes(name)) return null;
    let script = this.scripts.get(name);
    if (!script) {
      script = { plain: readFileSync(join(this.dir, name)), gzip: readFileSync(join(this.dir, `${name}.gz`)) };
      this.scripts.set(name, script);
    }
    return script;
  }
}

export interface DocsRouterOptions {
  /** PUBLIC_HTTP_URL: the server URL the document names */
  publicHttpUrl?: string;
  /** the build output (dist/docs); found next to the server code when left out */
  dir?: string;
}

export function docsRouter(opts: DocsRouterOptions = {}): Router<AppState> {
  const router = new Router<AppState>();
  const files = new DocsFiles(opts.dir ?? defaultDocsDir());
  let document: string | null = null;

  router.get('/api/openapi.json', async (ctx) => {
    // the document and its response schemas load on first request: ~2 MB of heap no other route needs
    document ??= JSON.stringify((await import('./document')).buildOpenApiDocument({ serverUrl: opts.publicHttpUrl }), null, 2);
    ctx.type = 'application/json';
    ctx.set('Cache-Control', 'no-cache');
    ctx.set('Access-Control-Allow-Origin', '*'); // code generators and other sites' tools may read it
    ctx.body = document;
  });

  router.get('/api/docs', (ctx) => {
    const built = files.get();
    if (!built) return;
    const nonce = randomBytes(16).toString('base64');
    ctx.type = 'text/html';
    ctx.set('Cache-Control', 'no-store'); // a fresh nonce every time
    ctx.set('Content-Security-Policy', docsCsp(nonce));
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.body = built.page.replace('__NONCE__', nonce);
  });

  router.get('/api/docs/:file', (ctx) => {
    const script = files.script(ctx.params.file);
    if (script) sendScript(ctx, script);
  });

  return router;
}

function sendScript(ctx: Context, script: { plain: Buffer; gzip: Buffer }): void {
  ctx.status = 200;
  ctx.type = 'text/javascript';
  ctx.set('Cache-Control', SCRIPT_CACHE);
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.vary('Accept-Encoding');
  if (ctx.acceptsEncodings('gzip', 'identity') === 'gzip') {
    ctx.set('Content-Encoding', 'gzip');
    ctx.body = script.gzip;
  } else {
    ctx.body = script.plain;
  }
}

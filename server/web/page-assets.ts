// The built web pages (dist/web, written by scripts/build-web.js): HTML pages and hashed assets, held in memory.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { ServiceUnavailable } from '../errors';

/** What scripts/build-web.js writes next to the pages; the router serves nothing that is not listed. */
export interface WebManifest {
  pages: Record<string, string>;
  /** file names under assets/, each maybe with `.gz` and `.br` siblings */
  assets: string[];
}

export interface StaticFile {
  body: Buffer;
  gzip: Buffer | null;
  br: Buffer | null;
  type: string;
  etag: string;
}

export const MANIFEST_FILE = 'manifest.json';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** Where the build puts the pages, whether this module runs from server/ (ts) or dist/server/ (js). */
export function defaultWebDir(): string {
  const candidates = [join(__dirname, '..', '..', 'dist', 'web'), join(__dirname, '..', '..', 'web')];
  return candidates.find((d) => existsSync(join(d, MANIFEST_FILE))) ?? candidates[0]!;
}

export class PageAssets {
  private loaded: { pages: Map<string, StaticFile>; assets: Map<string, StaticFile> } | null = null;

  constructor(private readonly dir: string) {}

  page(name: string): StaticFile | null {
    return this.load().pages.get(name) ?? null;
  }

  asset(name: string): StaticFile | null {
    return this.load().assets.get(name) ?? null;
  }

  // Loaded on first use, so a server started before `npm run build` still serves its API.
  private load(): NonNullable<PageAssets['loaded']> {
    if (this.loaded) return this.loaded;
    const manifestPath = join(this.dir, MANIFEST_FILE);
    if (!existsSync(manifestPath)) {
      throw new ServiceUnavailable('The web pages are not built; run `npm run build`.', 'web_not_built');
    }
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as WebManifest;
    const pages = new Map(Object.entries(manifest.pages).map(([name, file]) => [name, readStatic(join(this.dir, file))]));
    const assets = new Map(manifest.assets.map((file) => [file, readStatic(join(this.dir, 'assets', file))]));
    this.loaded = { pages, assets };
    return this.loaded;
  }
}

function readStatic(path: string): StaticFile {
  const body = readFileSync(path);
  const sibling = (ext: string) => (existsSync(path + ext) ? readFileSync(path + ext) : null);
  return {
    body,
    gzip: sibling('.gz'),
    br: sibling('.br'),
    type: TYPES[extname(path)] ?? 'application/octet-stream',
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
  };
}

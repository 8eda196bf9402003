// Guard: server/media/hls/ turns bytes into bytes. It must not reach the disk, the network, Koa or SQLite.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = join(__dirname, '../../../server/media/hls');
const FORBIDDEN = ['fs', 'fs/promises', 'net', 'http', 'https', 'http2', 'dgram', 'child_process', 'worker_threads', 'koa', '@koa/router', 'better-sqlite3'];
/** every module specifier in import/export-from/require/dynamic import */
const SPECIFIER = /(?:\bfrom\s*|\brequire\s*\(\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;

function specifiers(source: string): string[] {
  return [...source.matchAll(SPECIFIER)].map((m) => m[1]!);
}

function isForbidden(spec: string): boolean {
  const bare = spec.replace(/^node:/, '');
  return FORBIDDEN.some((f) => bare === f || bare.startsWith(`${f}/`));
}

test('the scanner sees every import form (so a pass below means something)', () => {
  const sample = [
    "import { readFileSync } from 'node:fs';",
    'import * as net from "net";',
    "import 'child_process';",
    "const k = require('koa');",
    "export { x } from 'better-sqlite3';",
    "const h = await import('http');",
  ].join('\n');
  expect(specifiers(sample).filter(isForbidden)).toEqual(['node:fs', 'net', 'child_process', 'koa', 'better-sqlite3', 'http']);
});

test('server/media/hls/*.ts imports no I/O, Koa or SQLite module', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.ts'));
  expect(files.length).toBeGreaterThanOrEqual(10);
  const offenders = files.flatMap((f) =>
    specifiers(readFileSync(join(DIR, f), 'utf8')).filter(isForbidden).map((spec) => `${f}: ${spec}`));
  expect(offenders).toEqual([]);
});

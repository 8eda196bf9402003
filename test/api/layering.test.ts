// Koa stays in server/api: the domain and its ports (rooms, store, signing, auth) import no HTTP framework.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const SERVER = join(__dirname, '..', '..', 'server');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

test.each(['rooms', 'store', 'signing', 'auth', 'config'])('server/%s imports neither koa nor @koa/*', (dir) => {
  const files = tsFiles(join(SERVER, dir));
  expect(files.length).toBeGreaterThan(0);
  const offenders = files.filter((f) => /from '(koa|@koa\/[^']+)'|require\('(koa|@koa\/[^']+)'\)/.test(readFileSync(f, 'utf8')))
    .map((f) => relative(SERVER, f));
  expect(offenders).toEqual([]);
});

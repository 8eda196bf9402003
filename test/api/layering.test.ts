// Koa stays in server/api: the domain and its ports (rooms, store, signing, auth) import no HTTP framework.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isOneOf, scanImports, tsFilesUnder } from '../helpers/import-scanner';

const SERVER = join(__dirname, '..', '..', 'server');
const HTTP_FRAMEWORK = ['koa', '@koa'];

test.each(['rooms', 'store', 'signing', 'auth', 'config'])('server/%s imports neither koa nor @koa/*', (dir) => {
  const files = tsFilesUnder(join(SERVER, dir));
  expect(files.length).toBeGreaterThan(0);
  const offenders = files.flatMap((f) => {
    const { specifiers, computed } = scanImports(readFileSync(f, 'utf8'), f);
    const name = relative(SERVER, f);
    // a computed require/import could load anything, so it counts as an offence here
    return [...specifiers.filter((s) => isOneOf(s, HTTP_FRAMEWORK)), ...computed].map((s) => `${name}: ${s}`);
  });
  expect(offenders).toEqual([]);
});

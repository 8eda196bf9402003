// Guard: server/media/hls/ turns bytes into bytes. It must not reach the disk, the network, Koa or SQLite.
// The scanner it relies on has its own test (test/helpers/import-scanner.test.ts).
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isOneOf, scanImports, tsFilesUnder } from '../../helpers/import-scanner';

const DIR = join(__dirname, '../../../server/media/hls');
const FORBIDDEN = ['fs', 'net', 'http', 'https', 'http2', 'dgram', 'child_process', 'worker_threads', 'koa', '@koa', 'better-sqlite3'];

test('server/media/hls/*.ts imports no I/O, Koa or SQLite module', () => {
  const files = tsFilesUnder(DIR);
  expect(files.length).toBeGreaterThanOrEqual(10);
  const offenders = files.flatMap((f) => {
    const { specifiers, computed } = scanImports(readFileSync(f, 'utf8'), f);
    // a computed require/import could load anything, so it counts as an offence here
    return [...specifiers.filter((s) => isOneOf(s, FORBIDDEN)), ...computed].map((s) => `${relative(DIR, f)}: ${s}`);
  });
  expect(offenders).toEqual([]);
});

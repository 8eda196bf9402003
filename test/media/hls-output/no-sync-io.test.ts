// Guard: HLS recording does its file work off the event loop (issue 11 item 3), so one slow disk never stalls the
// viewers and the API. server/media/hls-output/ may use node:fs/promises, never node:fs (whose calls block or
// take callbacks: a synchronous form would sneak back in there).
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { scanImports, tsFilesUnder } from '../../helpers/import-scanner';

const DIR = join(__dirname, '../../../server/media/hls-output');

test('server/media/hls-output/*.ts imports node:fs only as node:fs/promises', () => {
  const files = tsFilesUnder(DIR);
  expect(files.length).toBeGreaterThanOrEqual(10);
  const offenders = files.flatMap((f) => {
    const { specifiers, computed } = scanImports(readFileSync(f, 'utf8'), f);
    return [...specifiers.filter((s) => s === 'fs' || s === 'node:fs'), ...computed].map((s) => `${relative(DIR, f)}: ${s}`);
  });
  expect(offenders).toEqual([]);
});

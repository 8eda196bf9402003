// Koa stays in server/api: the domain and its ports (rooms, store, signing, auth) import no HTTP framework.
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { isOneOf, scanImports, tsFilesUnder } from '../helpers/import-scanner';

const SERVER = join(__dirname, '..', '..', 'server');
const HTTP_FRAMEWORK = ['koa', '@koa'];

test.each(['rooms', 'store', 'signing', 'auth', 'config', 'vod-media'])('server/%s imports neither koa nor @koa/*', (dir) => {
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

// server/media: the HLS muxer stands alone, the media planes do not reach into the HTTP layer, and
// node-media-server is touched only by the RTMP ingest that wraps it.
const MEDIA = join(SERVER, 'media');

/** Every import of every .ts file under `dir`: relative specifiers resolved to paths under server/, bare ones kept. */
function importsUnder(dir: string): Array<{ file: string; spec: string; target: string }> {
  return tsFilesUnder(dir).flatMap((f) => {
    const { specifiers, computed } = scanImports(readFileSync(f, 'utf8'), f);
    const file = relative(SERVER, f);
    return [
      ...specifiers.map((spec) => ({ file, spec, target: spec.startsWith('.') ? relative(SERVER, join(dirname(f), spec)) : spec })),
      // a computed require/import could load anything: it shows up as an offence in every rule below
      ...computed.map((spec) => ({ file, spec, target: `<computed ${spec}>` })),
    ];
  });
}

const inside = (target: string, dir: string) => target === dir || target.startsWith(`${dir}/`);

/** shared with the rest of the media plane: the one FLV tag header reader, which imports nothing itself */
const HLS_MAY_IMPORT = ['media/flv/tag-header'];

test('server/media/hls imports nothing of the server outside itself but the FLV tag header reader', () => {
  const offenders = importsUnder(join(MEDIA, 'hls'))
    .filter((i) => i.spec.startsWith('.') ? !inside(i.target, 'media/hls') && !HLS_MAY_IMPORT.includes(i.target) : i.target.startsWith('<'))
    .map((i) => `${i.file}: ${i.spec}`);
  expect(offenders).toEqual([]);
  for (const shared of HLS_MAY_IMPORT) expect(scanImports(readFileSync(join(SERVER, `${shared}.ts`), 'utf8'))).toEqual({ specifiers: [], computed: [] });
});

/** The media side's few uses of server/api, each a shape or a Koa router the plane hands to the HTTP layer. */
const MEDIA_TO_API: Record<string, readonly string[]> = {
  'media/plane.ts': ['api/deps'], // StatsSource and AppState (the routers' state): types only, re-exported to the planes
  'media/tencent/tencent-hooks.ts': ['api/deps', 'api/validate'], // CSS callbacks are a Koa router
};

test('server/media/** imports server/api/** only where listed (never the media lane: server.ts builds it)', () => {
  const offenders = importsUnder(MEDIA)
    .filter((i) => inside(i.target, 'api') && !(MEDIA_TO_API[i.file] ?? []).includes(i.target))
    .map((i) => `${i.file}: ${i.spec}`);
  expect(offenders).toEqual([]);
  expect(importsUnder(MEDIA).filter((i) => i.target === 'api/media-lane')).toEqual([]);
});

test('server/media/embedded imports no HTTP framework (its HTTP side is answered by server/api)', () => {
  const offenders = importsUnder(join(MEDIA, 'embedded'))
    .filter((i) => isOneOf(i.target, HTTP_FRAMEWORK) || i.target.startsWith('<')).map((i) => `${i.file}: ${i.spec}`);
  expect(offenders).toEqual([]);
});

test('only server/media/rtmp touches node-media-server (the package or its typed wrapper rtmp/nms)', () => {
  const offenders = importsUnder(SERVER)
    .filter((i) => !inside(i.file, 'media/rtmp'))
    .filter((i) => isOneOf(i.target, ['node-media-server']) || i.target === 'media/rtmp/nms' || i.target.startsWith('<'))
    .map((i) => `${i.file}: ${i.spec}`);
  expect(offenders).toEqual([]);
});

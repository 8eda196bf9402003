#!/usr/bin/env node
// Builds the web pages (front page, watch page, admin console) with esbuild into dist/web: content-hashed assets under
// assets/, the HTML pages naming them, gzip/brotli copies, and manifest.json (all server/web/ will serve).
'use strict';
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const ROOT = path.join(__dirname, '..');
const SRC = path.join(ROOT, 'web');
const OUT = path.join(ROOT, 'dist', 'web');
const ASSETS = path.join(OUT, 'assets');
/** each page: entry web/<name>/main.ts, template web/<name>/<name>.html, output dist/web/<name>.html */
const PAGES = ['home', 'watch', 'admin', 'videos'];
/** below this size compression costs more than it saves */
const COMPRESS_MIN = 512;

async function main() {
  fs.rmSync(OUT, { recursive: true, force: true });
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: PAGES.map((name) => ({ in: path.join(SRC, name, 'main.ts'), out: name })),
    outdir: ASSETS,
    bundle: true,
    // players load as separate chunks only when needed: the FLV page never downloads hls.js and vice versa
    splitting: true,
    format: 'esm',
    minify: true,
    sourcemap: 'linked',
    target: ['es2020', 'chrome80', 'safari15', 'ios15', 'firefox80'], // esbuild cannot lower destructuring for Safari 14
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    assetNames: '[name]-[hash]',
    tsconfig: path.join(SRC, 'tsconfig.json'),
    define: { 'process.env.NODE_ENV': '"production"' },
    legalComments: 'linked',
    metafile: true,
    logLevel: 'warning',
  });

  const outputs = result.metafile.outputs;
  const assetName = (file) => path.relative(ASSETS, path.join(ROOT, file)).split(path.sep).join('/');
  const manifest = { pages: {}, assets: Object.keys(outputs).map(assetName).sort() };
  for (const name of PAGES) {
    const [jsFile, meta] = Object.entries(outputs).find(([, o]) => o.entryPoint && path.join(ROOT, o.entryPoint) === path.join(SRC, name, 'main.ts'));
    const tags = [];
    if (meta.cssBundle) tags.push(`<link rel="stylesheet" href="/assets/${assetName(meta.cssBundle)}">`);
    // chunks the entry imports statically are fetched in parallel with it rather than after it
    for (const imp of meta.imports) {
      if (imp.kind === 'import-statement' && !imp.external) tags.push(`<link rel="modulepreload" href="/assets/${assetName(imp.path)}">`);
    }
    tags.push(`<script type="module" src="/assets/${assetName(jsFile)}"></script>`);
    const template = fs.readFileSync(path.join(SRC, name, `${name}.html`), 'utf8');
    if (!template.includes('<!--assets-->')) throw new Error(`web/${name}/${name}.html lacks the <!--assets--> marker`);
    fs.writeFileSync(path.join(OUT, `${name}.html`), template.replace('<!--assets-->', tags.join('\n  ')));
    manifest.pages[name] = `${name}.html`;
  }

  const files = [...Object.values(manifest.pages).map((f) => path.join(OUT, f)), ...manifest.assets.map((f) => path.join(ASSETS, f))];
  for (const file of files) if (!file.endsWith('.map')) compress(file); // maps are for devtools only
  fs.writeFileSync(path.join(OUT, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');

  const size = (f) => fs.statSync(path.join(ASSETS, f)).size;
  const js = manifest.assets.filter((f) => f.endsWith('.js'));
  console.log(`build-web: ${PAGES.length} pages, ${js.length} scripts (${Math.round(js.reduce((n, f) => n + size(f), 0) / 1024)} KiB) in ${path.relative(ROOT, OUT)}`);
}

function compress(file) {
  const body = fs.readFileSync(file);
  if (body.length < COMPRESS_MIN) return;
  fs.writeFileSync(file + '.gz', zlib.gzipSync(body, { level: 9 }));
  fs.writeFileSync(file + '.br', zlib.brotliCompressSync(body, {
    params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length },
  }));
}

main().catch((err) => {
  console.error(`build-web: ${err && err.message ? err.message : err}`);
  process.exit(1);
});
